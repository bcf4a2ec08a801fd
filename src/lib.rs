//! kubetutor: an offline CKA exam tutor built around a simulated kubeadm cluster.
//!
//! Dependencies point one way: `app → shell → programs → {cluster, host, world}`.

pub mod app;
pub mod cli;
pub mod cluster;
pub mod gojson;
pub mod host;
pub mod programs;
pub mod shell;
pub mod world;
pub mod yaml;
