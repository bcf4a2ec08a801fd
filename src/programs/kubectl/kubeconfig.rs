//! The kubeconfig file: loading (`--kubeconfig`, `$KUBECONFIG`, `~/.kube/config`), merging,
//! and writing back, as client-go's clientcmd does.
