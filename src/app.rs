//! The model the front ends drive. For now: the saved state (world + shell session) that
//! `kubetutor sh --state FILE` keeps between runs.

pub mod state_file;
