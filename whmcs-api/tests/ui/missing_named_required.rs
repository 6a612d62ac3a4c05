// An action with more than three required parameters takes them by name: leaving one out
// does not compile.
use whmcs_api::actions::{AddClient, AddClientRequired};

fn main() {
    let _ = AddClient::new(AddClientRequired {
        firstname: "Ada",
        lastname: "Lovelace",
        email: "ada@example.com",
        address1: "12 Analytical Row",
        city: "London",
        postcode: "N1 1AA",
        country: "GB",
        phonenumber: "+44.2071234567",
    });
}
