//! The HTTP/1 server loop: a cap on open connections, a deadline for each
//! request's headers (which also closes idle keep-alive connections), and a
//! graceful shutdown that finishes the requests in flight.
//!
//! Ours rather than `axum::serve` because that one sets no header deadline:
//! connections that send headers slowly, or sit idle, were held for minutes,
//! and enough of them would keep everyone else out.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

use crate::config::Config;

#[derive(Debug, Clone, Copy)]
pub struct ServeLimits {
    /// A request's headers must arrive within this long of the connection
    /// opening or the previous response; otherwise the connection is closed.
    pub header_read_timeout: Duration,
    /// Connections served at once; more wait in the operating system's queue.
    pub max_connections: usize,
    /// Connections one peer address may hold at once; more are closed at once.
    /// None behind a reverse proxy, where every connection comes from the proxy.
    pub per_address: Option<usize>,
    /// How long shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
}

/// Raise this process's limit on open files to the most it may have, and
/// return it: every connection is a file, and `accept` fails past the limit.
pub fn raise_open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
                return None;
            }
            if limit.rlim_cur < limit.rlim_max {
                let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    limit = raised;
                }
            }
        }
        #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every Unix
        Some(limit.rlim_cur as u64)
    }
    #[cfg(not(unix))]
    None
}

impl ServeLimits {
    /// The configured limits, with the connection cap kept below the open-file
    /// limit (leaving room for the database and files).
    pub fn for_process(config: &Config, open_files: Option<u64>) -> Self {
        let mut limits = Self::from_config(config);
        if let Some(files) = open_files {
            let room = files.saturating_sub(128).max(16) as usize;
            if limits.max_connections > room {
                tracing::warn!(
                    max_connections = limits.max_connections,
                    open_file_limit = files,
                    "max_connections is above what the open-file limit allows; serving {room} at once"
                );
                limits.max_connections = room;
            }
        }
        limits
    }

    pub fn from_config(config: &Config) -> Self {
        ServeLimits {
            header_read_timeout: Duration::from_secs(10),
            max_connections: config.max_connections,
            per_address: (!config.trust_forwarded_for).then(|| (config.max_connections / 8).max(16)),
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// One of a peer address's connections, given back when the connection ends.
struct PeerPlace {
    map: Arc<Mutex<HashMap<IpAddr, usize>>>,
    ip: IpAddr,
}

impl PeerPlace {
    fn take(map: &Arc<Mutex<HashMap<IpAddr, usize>>>, ip: IpAddr, cap: usize) -> Option<PeerPlace> {
        let mut held = map.lock().unwrap_or_else(|e| e.into_inner());
        let n = held.entry(ip).or_insert(0);
        if *n >= cap {
            return None;
        }
        *n += 1;
        Some(PeerPlace { map: map.clone(), ip })
    }
}

impl Drop for PeerPlace {
    fn drop(&mut self) {
        let mut held = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = held.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                held.remove(&self.ip);
            }
        }
    }
}

/// Serve until `shutdown` completes, then finish the requests in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ServeLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    // Dropping `stop_tx` tells every connection to finish; `done_tx.closed()`
    // resolves once the last connection task has dropped its `done_rx`.
    let (stop_tx, stop_rx) = watch::channel(());
    let (done_tx, done_rx) = watch::channel(());
    let by_peer: Arc<Mutex<HashMap<IpAddr, usize>>> = Arc::default();
    let mut shutdown = pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // One client may not hold every connection.
        let place = match limits.per_address {
            Some(cap) => match PeerPlace::take(&by_peer, peer.ip(), cap) {
                Some(place) => Some(place),
                None => {
                    drop(stream);
                    continue;
                }
            },
            None => None,
        };
        let _ = stream.set_nodelay(true);
        let service = router.clone().map_request(move |mut request: axum::http::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request.map(Body::new)
        });
        let mut stop_rx = stop_rx.clone();
        let done_rx = done_rx.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
            let mut connection =
                pin!(builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop_rx.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.as_mut().await;
                }
            }
            drop(place);
            drop(permit);
            drop(done_rx);
        });
    }
    drop(listener);
    drop(stop_rx);
    drop(stop_tx);
    drop(done_rx);
    if tokio::time::timeout(limits.shutdown_grace, done_tx.closed()).await.is_err() {
        tracing::warn!("some requests were still running when the shutdown grace period ended");
    }
    Ok(())
}
