#[whmcs_api::action(spec = "tests/ui/specs/empty_file.toml")]
pub struct GetWidgets;
fn main() {}
