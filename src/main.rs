#![forbid(unsafe_code)]

fn main() {
    labelcheck_app::run();
}
