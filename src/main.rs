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

/// SQLite allocates through mimalloc as well, and without its memory
/// statistics: by default every allocation of every connection's thread takes
/// one global lock to count bytes, and the four threads queue on it and on
/// glibc's arenas (bench/RESULTS.md). Called before any connection opens.
fn sqlite_allocator() {
    use libmimalloc_sys as mi;
    use libsqlite3_sys as sqlite;
    use std::ffi::{c_int, c_void};

    unsafe extern "C" fn malloc(n: c_int) -> *mut c_void {
        // SAFETY: a plain allocation; SQLite never asks for a negative size.
        unsafe { mi::mi_malloc(n.max(0) as usize) }
    }
    unsafe extern "C" fn free(p: *mut c_void) {
        // SAFETY: `p` came from `malloc` or `realloc` above.
        unsafe { mi::mi_free(p) }
    }
    unsafe extern "C" fn realloc(p: *mut c_void, n: c_int) -> *mut c_void {
        // SAFETY: `p` came from `malloc` or `realloc` above.
        unsafe { mi::mi_realloc(p, n.max(0) as usize) }
    }
    unsafe extern "C" fn size(p: *mut c_void) -> c_int {
        // SAFETY: `p` came from `malloc` or `realloc` above.
        unsafe { mi::mi_usable_size(p).min(c_int::MAX as usize) as c_int }
    }
    unsafe extern "C" fn roundup(n: c_int) -> c_int {
        // SAFETY: a pure size calculation.
        unsafe { mi::mi_good_size(n.max(0) as usize).min(c_int::MAX as usize) as c_int }
    }
    unsafe extern "C" fn init(_: *mut c_void) -> c_int {
        sqlite::SQLITE_OK
    }
    unsafe extern "C" fn shutdown(_: *mut c_void) {}

    let methods = sqlite::sqlite3_mem_methods {
        xMalloc: Some(malloc),
        xFree: Some(free),
        xRealloc: Some(realloc),
        xSize: Some(size),
        xRoundup: Some(roundup),
        xInit: Some(init),
        xShutdown: Some(shutdown),
        pAppData: std::ptr::null_mut(),
    };
    // SAFETY: called once, before SQLite is initialised and before other
    // threads exist; SQLite copies `methods` before returning.
    let answers = unsafe {
        [
            sqlite::sqlite3_config(sqlite::SQLITE_CONFIG_MEMSTATUS, 0 as c_int),
            sqlite::sqlite3_config(
                sqlite::SQLITE_CONFIG_MALLOC,
                &methods as *const sqlite::sqlite3_mem_methods,
            ),
        ]
    };
    // Only possible if SQLite was started before this; it then keeps its own
    // allocator, which works, only slower.
    if answers.iter().any(|&answer| answer != sqlite::SQLITE_OK) {
        eprintln!("securebase: SQLite keeps its default allocator (sqlite3_config answered {answers:?})");
    }
}

fn main() -> std::process::ExitCode {
    tune_mimalloc();
    sqlite_allocator();
    // SAFETY: mi_collect only frees what the allocator holds and nothing uses.
    securebase::memory::on_release(|| unsafe { libmimalloc_sys::mi_collect(true) });
    securebase::cli::main()
}
