#[whmcs_api::action(spec = "tests/ui/specs/not_a_unit_struct.toml")]
pub struct GetWidgets {
    a: i32,
}
fn main() {}
