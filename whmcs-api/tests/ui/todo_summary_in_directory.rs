mod actions {
    whmcs_macros::actions!("tests/ui/specs/trees/todo_summary");
}
fn main() {}
