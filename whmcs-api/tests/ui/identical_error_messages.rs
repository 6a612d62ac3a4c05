#[whmcs_api::action(spec = "tests/ui/specs/identical_error_messages.toml")]
pub struct GetWidgets;
fn main() {}
