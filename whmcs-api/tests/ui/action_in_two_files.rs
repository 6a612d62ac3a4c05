mod actions {
    whmcs_macros::actions!("tests/ui/specs/trees/two_files");
}
fn main() {}
