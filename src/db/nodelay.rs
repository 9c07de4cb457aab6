//! TCP_NODELAY on the database connections.
//!
//! sqlx 0.9.0 no longer disables Nagle's algorithm on its TCP sockets (sqlx issue 4335, fixed
//! upstream after 0.9.0). A statement whose message spans several TCP segments then waits for
//! the server's delayed ACK: about 40 ms per bulk insert on a local server, which capped ingest
//! at about 20 filings per second. sqlx offers no hook on its socket, so after each new
//! connection the process's connected TCP sockets get TCP_NODELAY (HTTP sockets, which hyper
//! already sets it on, are unaffected). Linux only; elsewhere this does nothing.

/// Sets TCP_NODELAY on every connected TCP socket of this process that lacks it.
#[cfg(target_os = "linux")]
pub fn set_nodelay_on_tcp_sockets() {
    use std::os::fd::{BorrowedFd, RawFd};

    use nix::sys::socket::{
        AddressFamily, SockaddrLike, SockaddrStorage, getpeername, getsockopt, setsockopt, sockopt,
    };

    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else { return };
    for entry in entries.flatten() {
        let Some(raw) = entry.file_name().to_str().and_then(|n| n.parse::<RawFd>().ok()) else {
            continue;
        };
        // SAFETY: the descriptor is only borrowed for the calls below. If it was closed (or
        // reused) since the directory was read, the calls fail (or set the option on whatever
        // socket now has the number, which is harmless), and nothing is closed here.
        let fd = unsafe { BorrowedFd::borrow_raw(raw) };
        let Ok(peer) = getpeername::<SockaddrStorage>(raw) else { continue };
        if !matches!(peer.family(), Some(AddressFamily::Inet | AddressFamily::Inet6)) {
            continue;
        }
        if getsockopt(&fd, sockopt::TcpNoDelay) == Ok(false) {
            let _ = setsockopt(&fd, sockopt::TcpNoDelay, &true);
        }
    }
}

/// Does nothing: the workaround reads `/proc`.
#[cfg(not(target_os = "linux"))]
pub fn set_nodelay_on_tcp_sockets() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn connected_tcp_sockets_get_nodelay() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        assert!(!client.nodelay().unwrap());
        super::set_nodelay_on_tcp_sockets();
        assert!(client.nodelay().unwrap());
        assert!(server.nodelay().unwrap());
    }
}
