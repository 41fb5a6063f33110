/// mimalloc: the two worker threads allocate and free without waiting on each
/// other (glibc's arenas made them queue on a lock), and large blocks (a
/// password hash's 19 MiB) go back to the system soon after they are freed.
/// Measured in bench/RESULTS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Give freed memory back a tenth of a second after it is free (decommitted,
/// mimalloc's default on Linux). Arena memory is committed as it is used
/// (compiled in: see .cargo/config.toml), so an idle instance holds little.
fn tune_mimalloc() {
    // mimalloc v2's `mi_option_purge_delay` (mimalloc.h), which the Rust crate does not name.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: mi_option_set only changes allocator settings; called before other threads exist.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 100);
    }
}

fn main() -> std::process::ExitCode {
    tune_mimalloc();
    // SAFETY: mi_collect only frees what the allocator holds and nothing uses.
    securebase::memory::on_release(|| unsafe { libmimalloc_sys::mi_collect(true) });
    securebase::cli::main()
}
