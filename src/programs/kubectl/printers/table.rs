//! Human-readable tables: the server's Table columns and cells laid out with kubectl's tabwriter
//! (minimum width 6, padding 3), with NAMESPACE, label and kind-prefix decorations.
