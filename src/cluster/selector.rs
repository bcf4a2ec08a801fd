//! Label and field selectors (`-l app=web,tier in (a,b),!canary`, `--field-selector
//! status.phase=Running`), parsed and matched as apimachinery's `labels` and `fields` packages do.
