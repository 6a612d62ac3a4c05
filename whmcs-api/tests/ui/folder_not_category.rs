mod actions {
    whmcs_macros::actions!("tests/ui/specs/trees/wrong_folder");
}
fn main() {}
