//! Lists every unpaid invoice, fetching them page by page. Runs against the embedded mock (seeded
//! with a client and a few invoices) unless WHMCS_URL points at a real installation.

use whmcs_api::actions::billing::create_invoice::InvoiceItem;
use whmcs_api::actions::{AddClientRequired, AddInvoicePaymentRequired, InvoiceStatus};
use whmcs_api::{Client, Decimal};
use whmcs_mock::MockServer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = match std::env::var("WHMCS_URL") {
        Ok(_) => (Client::from_env()?, None),
        Err(_) => {
            let mock = MockServer::start().await?;
            let client = mock.client()?;
            seed(&client).await?;
            (client, Some(mock))
        }
    };

    // Five per request, to show the paging; every unpaid invoice comes out exactly once.
    let mut unpaid = client.get_invoices().status(InvoiceStatus::Unpaid).pages(5);
    let mut count = 0;
    let mut due = Decimal::ZERO;
    while let Some(invoice) = unpaid.next().await {
        let invoice = invoice?;
        count += 1;
        let total = invoice.total.unwrap_or_default();
        due += total;
        println!(
            "#{:<5} client {:<4} due {} total {}",
            invoice.id.unwrap_or(0),
            invoice.userid.unwrap_or(0),
            invoice.duedate.map_or("-".into(), |d| d.to_string()),
            total
        );
    }
    println!(
        "{count} unpaid invoice(s) of {} in all, {due} due",
        unpaid.total().unwrap_or(0)
    );
    Ok(())
}

/// A client with twelve invoices, three of them paid.
async fn seed(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    let added = client
        .add_client(AddClientRequired {
            firstname: "Alan",
            lastname: "Turing",
            email: "alan@example.com",
            address1: "1 Bletchley Park",
            city: "Milton Keynes",
            state: "Bucks",
            postcode: "MK3 6EB",
            country: "GB",
            phonenumber: "+44.1908640404",
        })
        .await?;
    for n in 1..=12 {
        let item =
            InvoiceItem::new(format!("Hosting, month {n}"), Decimal::new(995 + n, 2)).taxed(false);
        let created = client.create_invoice(added.clientid).items([item]).await?;
        if n % 4 == 0 {
            client
                .add_invoice_payment(AddInvoicePaymentRequired {
                    invoiceid: created.invoiceid,
                    transid: &format!("TX-{n}"),
                    gateway: "mailin",
                    date: "2026-01-02 09:00:00".parse()?,
                })
                .await?;
        }
    }
    Ok(())
}
