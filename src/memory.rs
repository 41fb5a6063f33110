//! Giving memory back to the system. Each password check needs about 19 MiB
//! for Argon2. The binary's own allocator (mimalloc, `main.rs`) hands freed
//! memory back after a short delay and on `release_free_memory`; C code
//! (SQLite), tests and examples allocate through glibc, whose heaps would
//! keep such blocks for good (its mmap threshold rises to match the first
//! one freed). A fixed threshold keeps large blocks in their own mappings,
//! returned the moment they are freed, and `release_free_memory` trims what
//! glibc's heaps hold once a burst is over. (Measured in bench/RESULTS.md:
//! with glibc's defaults a burst of 360 sign-ins left 760 MiB resident.)

/// Blocks this large or larger get their own mapping, freed straight back.
const MMAP_THRESHOLD: i32 = 1024 * 1024;

/// Call once, before any thread starts.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator settings; called before other threads exist.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

/// What the binary's own allocator does to give free memory back (the
/// library does not know which allocator the binary chose; see `main.rs`).
static RELEASE: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Set once, by the binary, before serving.
pub fn on_release(release: fn()) {
    let _ = RELEASE.set(release);
}

/// Return free memory held in the allocators' heaps to the system (after a
/// burst of password checks, and once start-up is done).
pub fn release_free_memory() {
    if let Some(release) = RELEASE.get() {
        release();
    }
    // C code (SQLite) still allocates through glibc.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages; it is thread-safe.
    unsafe {
        libc::malloc_trim(0);
    }
}
