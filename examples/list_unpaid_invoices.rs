//! Lists every unpaid invoice, fetching them page by page. Runs against the embedded mock (seeded
//! with a client and a few invoices) unless WHMCS_URL points at a real installation.

use whmcs_api::actions::GetInvoicesStatus;
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
    let mut unpaid = client
        .get_invoices()
        .status(GetInvoicesStatus::Unpaid)
        .pages(5);
    let mut count = 0;
    let mut due = Decimal::new(0, 2);
    while let Some(invoice) = unpaid.next().await {
        let invoice = invoice?;
        count += 1;
        let total = invoice.total.unwrap_or_default();
        due = due.checked_add(total).ok_or("the total overflowed")?;
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
        .add_client(
            "Alan",
            "Turing",
            "alan@example.com",
            "1 Bletchley Park",
            "Milton Keynes",
            "Bucks",
            "MK3 6EB",
            "GB",
            "+44.1908640404",
        )
        .await?;
    let id = added.clientid.ok_or("no client id")?;
    for n in 1..=12 {
        let created = client
            .create_invoice(id)
            .items([whmcs_api::actions::billing::create_invoice::InvoiceItem {
                description: Some(format!("Hosting, month {n}")),
                amount: Some(Decimal::new(995 + n, 2)),
                taxed: Some(false),
                ..Default::default()
            }])
            .await?;
        if n % 4 == 0 {
            let invoice = created.invoiceid.ok_or("no invoice id")?;
            client
                .add_invoice_payment(
                    invoice,
                    format!("TX-{n}"),
                    "mailin",
                    "2026-01-02 09:00:00".parse()?,
                )
                .await?;
        }
    }
    Ok(())
}
