//! YAML as kubectl prints it (go-yaml's emitter over JSON values) and as kubectl reads it.
