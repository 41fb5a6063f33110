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

/// SQLite without its memory statistics: by default every allocation of every
/// connection's thread takes one global lock to count bytes, and the four
/// threads queued on it (bench/RESULTS.md). Called before any connection opens.
fn sqlite_without_memory_statistics() {
    use libsqlite3_sys as sqlite;
    // SAFETY: called once, before SQLite is initialised and before other
    // threads exist; MEMSTATUS takes one int.
    let answer = unsafe { sqlite::sqlite3_config(sqlite::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int) };
    // Only possible if SQLite was started before this; it then counts, which
    // works, only slower.
    if answer != sqlite::SQLITE_OK {
        eprintln!("securebase: SQLite keeps its memory statistics (sqlite3_config answered {answer})");
    }
}

fn main() -> std::process::ExitCode {
    tune_mimalloc();
    sqlite_without_memory_statistics();
    // SAFETY: mi_collect only frees what the allocator holds and nothing uses.
    securebase::memory::on_release(|| unsafe { libmimalloc_sys::mi_collect(true) });
    securebase::cli::main()
}
