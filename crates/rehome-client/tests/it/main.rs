//! The client against real sockets on 127.0.0.1: a small server that answers
//! every request with the same raw bytes (a hostile or broken server, or a
//! proxy in front of ours), so each reply shape is exactly what the test says.

mod addresses;
mod replies;
