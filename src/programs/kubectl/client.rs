//! Turns the kubeconfig and the global flags into a connection: which cluster's API server,
//! which identity, which default namespace.
