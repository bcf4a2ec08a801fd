//! The `kubetutor` binary: parses the command line and hands over to `cli`.

fn main() {
    std::process::exit(kubetutor::cli::main());
}
