//! Billing against the mock, over HTTP with the typed client: invoice totals and states,
//! payments and the transactions they leave, the credit log, pay methods and card captures,
//! billable items and invoice generation, quotes accepted into invoices, currencies and
//! gateways. One test per rule.

use serde_json::json;
use whmcs_api::actions::billing::create_invoice::InvoiceItem;
use whmcs_api::actions::{
    AcceptQuoteError, AddBillableItemError, AddBillableItemRequired, AddClientRequired,
    AddCreditError, AddInvoicePaymentError, AddInvoicePaymentRequired, AddPayMethodError,
    AddTransactionError, ApplyCreditError, BillableInvoiceAction, BillableRecurCycle, BillableUnit,
    CapturePaymentError, CreateInvoiceError, CreateQuoteError, CreditDirection,
    DeletePayMethodError, GenInvoicesError, GetCreditsError, GetInvoiceError, GetInvoicesOrder,
    GetInvoicesOrderby, GetPayMethodsError, InvoiceStatus, NewPayMethodType, PayMethodFilter,
    PayMethodType, QuoteStage, SendQuoteError, UpdateInvoiceError, UpdatePayMethodError,
    UpdateQuoteError, UpdateTransactionError,
};
use whmcs_api::{Client, Date, DateTime, Decimal, PhpArray};
use whmcs_mock::MockServer;

mod common;
use common::{api_error, mail_subjects, start};

async fn add_client(client: &Client, email: &str) -> i64 {
    client
        .add_client(AddClientRequired {
            firstname: "Grace",
            lastname: "Hopper",
            email,
            address1: "1 Navy Way",
            city: "Arlington",
            state: "VA",
            postcode: "22201",
            country: "US",
            phonenumber: "+1.5555550100",
        })
        .await
        .expect("AddClient")
        .clientid
}

/// `units` hundredths.
fn cents(units: i64) -> Decimal {
    Decimal::new(units, 2)
}

fn at(mock: &MockServer) -> DateTime {
    DateTime::new(mock.today(), 10, 0, 0).expect("time")
}

/// An unpaid invoice for `client` with one line of `amount`; returns its id.
async fn invoice(client: &Client, id: i64, amount: Decimal) -> i64 {
    client
        .create_invoice(id)
        .items([InvoiceItem::new("Consulting", amount)])
        .await
        .expect("CreateInvoice")
        .invoiceid
}

async fn pay(mock: &MockServer, client: &Client, invoice: i64, amount: Decimal, transid: &str) {
    client
        .add_invoice_payment(AddInvoicePaymentRequired {
            invoiceid: invoice,
            transid,
            gateway: "mailin",
            date: at(mock),
        })
        .amount(amount)
        .await
        .expect("AddInvoicePayment");
}

#[tokio::test]
async fn invoice_totals_are_items_plus_taxes_less_credit() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let inv = client
        .create_invoice(id)
        .taxrate(Decimal::TEN)
        .items([
            InvoiceItem::new("Hosting", cents(10000)).taxed(true),
            InvoiceItem::new("Setup", cents(2550)),
        ])
        .await
        .expect("invoice")
        .invoiceid;
    let got = client.get_invoice(inv).await.expect("GetInvoice");
    assert_eq!(got.subtotal, Some(cents(12550)));
    assert_eq!(got.tax, Some(cents(1000)));
    assert_eq!(got.total, Some(cents(13550)));
    assert_eq!(got.balance, Some(cents(13550)));
    assert_eq!(got.items.len(), 2);
    assert_eq!(got.status, Some(InvoiceStatus::Unpaid));

    client
        .update_invoice(inv)
        .credit(cents(550))
        .await
        .expect("credit on the invoice");
    let got = client.get_invoice(inv).await.expect("GetInvoice");
    assert_eq!(got.total, Some(cents(13000)));
    assert_eq!(got.balance, Some(cents(13000)));
    assert_eq!(
        api_error(client.get_invoice(999).await),
        GetInvoiceError::InvoiceIdNotFound
    );
}

#[tokio::test]
async fn each_payment_is_a_transaction_and_the_invoice_is_paid_once_covered() {
    let (mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let inv = invoice(&client, id, cents(5000)).await;

    pay(&mock, &client, inv, cents(2000), "PART-1").await;
    let got = client.get_invoice(inv).await.expect("GetInvoice");
    assert_eq!(got.status, Some(InvoiceStatus::Unpaid));
    assert_eq!(got.balance, Some(cents(3000)));
    assert_eq!(got.transactions.len(), 1);

    pay(&mock, &client, inv, cents(3000), "PART-2").await;
    let got = client.get_invoice(inv).await.expect("GetInvoice");
    assert_eq!(got.status, Some(InvoiceStatus::Paid));
    assert_eq!(got.balance, Some(Decimal::ZERO));
    assert_eq!(got.datepaid, Some(at(&mock)));

    let txs = client
        .get_transactions()
        .invoiceid(inv)
        .await
        .expect("transactions");
    assert_eq!(txs.totalresults, Some(2));
    let ids: Vec<_> = txs
        .transactions
        .iter()
        .filter_map(|t| t.transid.clone())
        .collect();
    assert_eq!(ids, ["PART-1", "PART-2"]);
    assert_eq!(txs.transactions[1].amountin, Some(cents(3000)));
    assert_eq!(txs.transactions[1].userid, Some(id));
}

#[tokio::test]
async fn an_overpayment_becomes_credit() {
    let (mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let inv = invoice(&client, id, cents(4000)).await;
    pay(&mock, &client, inv, cents(5000), "OVER").await;
    let got = client.get_invoice(inv).await.expect("GetInvoice");
    assert_eq!(got.status, Some(InvoiceStatus::Paid));
    let credits = client.get_credits(id).await.expect("GetCredits");
    assert_eq!(credits.totalresults, Some(1));
    assert_eq!(credits.credits[0].amount, Some(cents(1000)));
    assert_eq!(credits.credits[0].relid, Some(inv));
    let c = client
        .get_clients_details()
        .clientid(id)
        .await
        .expect("details")
        .client
        .expect("client");
    assert_eq!(c.credit, Some(cents(1000)));
}

#[tokio::test]
async fn payments_are_refused_on_unknown_or_cancelled_invoices() {
    let (mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let inv = invoice(&client, id, cents(100)).await;
    client
        .update_invoice(inv)
        .status(InvoiceStatus::Cancelled)
        .await
        .expect("cancel");
    let payment = |invoiceid| {
        client.add_invoice_payment(AddInvoicePaymentRequired {
            invoiceid,
            transid: "X",
            gateway: "mailin",
            date: at(&mock),
        })
    };
    assert_eq!(
        api_error(payment(inv).await),
        AddInvoicePaymentError::InvoiceCancelled
    );
    assert_eq!(
        api_error(payment(999).await),
        AddInvoicePaymentError::InvoiceIdNotFound
    );
    let txs = client.get_transactions().await.expect("transactions");
    assert_eq!(txs.totalresults, Some(0));
}

#[tokio::test]
async fn get_invoices_filters_sorts_and_pages() {
    let (mock, client) = start().await;
    let a = add_client(&client, "a@example.com").await;
    let b = add_client(&client, "b@example.com").await;
    let small = invoice(&client, a, cents(100)).await;
    let big = invoice(&client, a, cents(900)).await;
    let other = invoice(&client, b, cents(500)).await;
    pay(&mock, &client, small, cents(100), "P").await;

    let mine = client.get_invoices().userid(a).await.expect("a's");
    assert_eq!(mine.totalresults, Some(2));
    let unpaid = client
        .get_invoices()
        .status(InvoiceStatus::Unpaid)
        .await
        .expect("unpaid");
    let ids: Vec<_> = unpaid.invoices.iter().filter_map(|i| i.id).collect();
    assert_eq!(ids, [big, other]);
    let by_total = client
        .get_invoices()
        .orderby(GetInvoicesOrderby::Total)
        .order(GetInvoicesOrder::Desc)
        .limitnum(2)
        .await
        .expect("sorted");
    let ids: Vec<_> = by_total.invoices.iter().filter_map(|i| i.id).collect();
    assert_eq!(ids, [big, other]);
    assert_eq!(by_total.totalresults, Some(3));
    let second = client
        .get_invoices()
        .limitstart(1)
        .limitnum(1)
        .await
        .expect("page");
    assert_eq!(second.invoices[0].id, Some(big));

    let none = client
        .get_invoices()
        .status(InvoiceStatus::Overdue)
        .await
        .expect("overdue");
    assert_eq!(none.totalresults, Some(0));
    mock.advance_days(3);
    let overdue = client
        .get_invoices()
        .status(InvoiceStatus::Overdue)
        .await
        .expect("overdue");
    assert_eq!(overdue.totalresults, Some(2), "unpaid past their due date");
}

#[tokio::test]
async fn drafts_are_published_and_invoices_updated() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let draft = client
        .create_invoice(id)
        .draft(true)
        .items([InvoiceItem::new("Line", cents(1000))])
        .await
        .expect("draft");
    assert_eq!(draft.status, Some(InvoiceStatus::Draft));
    let inv = draft.invoiceid;
    let line = client.get_invoice(inv).await.expect("get").items[0]
        .id
        .expect("line id");
    client
        .update_invoice(inv)
        .publish(true)
        .itemdescription([(line.to_string(), "Changed")])
        .itemamount([(line.to_string(), cents(1500))])
        .itemtaxed([(line.to_string(), false)])
        .newitemdescription(["Extra"])
        .newitemamount([cents(500)])
        .newitemtaxed([false])
        .notes("Thanks")
        .await
        .expect("publish");
    let got = client.get_invoice(inv).await.expect("get");
    assert_eq!(got.status, Some(InvoiceStatus::Unpaid));
    assert_eq!(got.items[0].description.as_deref(), Some("Changed"));
    assert_eq!(got.subtotal, Some(cents(2000)));
    assert_eq!(got.notes.as_deref(), Some("Thanks"));

    assert_eq!(
        api_error(client.update_invoice(inv).publish(true).await),
        UpdateInvoiceError::PublishNeedsDraft
    );
    assert_eq!(
        api_error(
            client
                .update_invoice(inv)
                .itemdescription([(line.to_string(), "Only text")])
                .await
        ),
        UpdateInvoiceError::ItemFieldsIncomplete
    );
    assert_eq!(
        api_error(
            client
                .update_invoice(inv)
                .status(InvoiceStatus::Overdue)
                .await
        ),
        UpdateInvoiceError::InvalidStatus {
            status: "Overdue".into()
        }
    );
    client
        .update_invoice(inv)
        .deletelineids([line])
        .await
        .expect("delete line");
    let got = client.get_invoice(inv).await.expect("get");
    assert_eq!(got.subtotal, Some(cents(500)));
    assert_eq!(
        api_error(client.update_invoice(999).notes("x").await),
        UpdateInvoiceError::InvoiceIdNotFound
    );
}

#[tokio::test]
async fn capture_payment_charges_a_stored_card_and_refuses_a_paid_invoice() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let inv = invoice(&client, id, cents(2500)).await;
    assert_eq!(
        api_error(client.capture_payment(inv).await),
        CapturePaymentError::PaymentAttemptFailed,
        "no card on file"
    );
    client
        .add_pay_method(id)
        .card_number("4111 1111 1111 1111")
        .card_expiry("1230")
        .await
        .expect("card");
    client.capture_payment(inv).await.expect("capture");
    let got = client.get_invoice(inv).await.expect("get");
    assert_eq!(got.status, Some(InvoiceStatus::Paid));
    assert_eq!(got.transactions.len(), 1);
    assert_eq!(got.transactions[0].amountin, Some(cents(2500)));
    assert_eq!(got.transactions[0].gateway.as_deref(), Some("offlinecc"));
    assert!(got.lastcaptureattempt.is_some());
    assert_eq!(
        api_error(client.capture_payment(inv).await),
        CapturePaymentError::InvoiceNotFoundOrNotUnpaid
    );
    assert_eq!(
        api_error(client.capture_payment(999).await),
        CapturePaymentError::InvoiceNotFoundOrNotUnpaid
    );
}

#[tokio::test]
async fn apply_credit_is_bounded_by_the_credit_and_the_invoice_balance() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let inv = invoice(&client, id, cents(3000)).await;
    assert_eq!(
        api_error(client.apply_credit(inv).await),
        ApplyCreditError::AmountNotPositive,
        "no credit to apply"
    );
    client
        .add_credit(id, "refund", cents(5000))
        .await
        .expect("credit");
    assert_eq!(
        api_error(client.apply_credit(inv).amount(cents(6000)).await),
        ApplyCreditError::ExceedsCreditBalance
    );
    assert_eq!(
        api_error(client.apply_credit(inv).amount(cents(4000)).await),
        ApplyCreditError::ExceedsInvoiceBalance
    );
    assert_eq!(
        api_error(client.apply_credit(inv).amount(cents(-100)).await),
        ApplyCreditError::AmountNotPositive
    );

    let part = client
        .apply_credit(inv)
        .amount(cents(1000))
        .await
        .expect("apply");
    assert_eq!(part.amount, Some(cents(1000)));
    assert_eq!(part.invoicepaid.as_deref(), Some("false"));
    let got = client.get_invoice(inv).await.expect("get");
    assert_eq!(got.credit, Some(cents(1000)));
    assert_eq!(got.balance, Some(cents(2000)));

    let rest = client.apply_credit(inv).await.expect("the rest");
    assert_eq!(rest.amount, Some(cents(2000)));
    assert_eq!(rest.invoicepaid.as_deref(), Some("true"));
    let got = client.get_invoice(inv).await.expect("get");
    assert_eq!(got.status, Some(InvoiceStatus::Paid));
    assert_eq!(
        api_error(client.apply_credit(inv).amount(Decimal::ONE).await),
        ApplyCreditError::InvoiceNotUnpaid
    );

    let log = client.get_credits(id).await.expect("log");
    let amounts: Vec<_> = log.credits.iter().filter_map(|c| c.amount).collect();
    assert_eq!(amounts, [cents(5000), cents(-1000), cents(-2000)]);
    let c = client
        .get_clients_details()
        .clientid(id)
        .await
        .expect("details")
        .client
        .expect("client");
    assert_eq!(c.credit, Some(cents(2000)));
}

#[tokio::test]
async fn add_credit_answers_the_balance_its_log_adds_up_to() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let first = client
        .add_credit(id, "goodwill", Decimal::TEN)
        .await
        .expect("add");
    assert_eq!(first.newbalance, Some(Decimal::TEN));
    let second = client
        .add_credit(id, "more", cents(550))
        .await
        .expect("add");
    assert_eq!(second.newbalance, Some(cents(1550)));
    let removed = client
        .add_credit(id, "correction", cents(300))
        .direction(CreditDirection::Remove)
        .date(Date::new(2025, 12, 31).expect("date"))
        .await
        .expect("remove");
    assert_eq!(removed.newbalance, Some(cents(1250)));

    let log = client.get_credits(id).await.expect("log");
    assert_eq!(log.totalresults, Some(3));
    assert_eq!(log.credits[2].amount, Some(cents(-300)));
    assert_eq!(log.credits[2].description.as_deref(), Some("correction"));
    assert_eq!(log.credits[2].date, Date::new(2025, 12, 31));

    assert_eq!(
        api_error(client.add_credit(99, "x", Decimal::ONE).await),
        AddCreditError::ClientIdNotFound
    );
    assert_eq!(
        api_error(client.add_credit(id, "x", Decimal::ZERO).await),
        AddCreditError::NoAmountProvided
    );
    assert_eq!(
        api_error(client.add_credit(id, "x", cents(-100)).await),
        AddCreditError::AmountNotDecimal
    );
    assert_eq!(
        api_error(client.add_credit(id, "x", Decimal::new(1, 3)).await),
        AddCreditError::AmountNotDecimal
    );
    assert_eq!(
        api_error(client.get_credits(99).await),
        GetCreditsError::ClientIdNotFound
    );
}

#[tokio::test]
async fn create_invoice_can_pay_itself_from_credit() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    client
        .add_credit(id, "prepaid", cents(2000))
        .await
        .expect("credit");
    let covered = client
        .create_invoice(id)
        .autoapplycredit(true)
        .items([InvoiceItem::new("Small", cents(1500))])
        .await
        .expect("invoice");
    assert_eq!(covered.status, Some(InvoiceStatus::Paid));
    let partly = client
        .create_invoice(id)
        .autoapplycredit(true)
        .items([InvoiceItem::new("Big", cents(1500))])
        .await
        .expect("invoice");
    assert_eq!(partly.status, Some(InvoiceStatus::Unpaid));
    let got = client.get_invoice(partly.invoiceid).await.expect("get");
    assert_eq!(got.credit, Some(cents(500)));
    assert_eq!(got.balance, Some(cents(1000)));
}

#[tokio::test]
async fn transactions_are_added_listed_and_updated() {
    let (_mock, client) = start().await;
    let a = add_client(&client, "a@example.com").await;
    let b = add_client(&client, "b@example.com").await;
    let inv = invoice(&client, a, cents(1000)).await;
    client
        .add_transaction("paypal")
        .userid(a)
        .invoiceid(inv)
        .transid("PP-1")
        .amountin(cents(400))
        .fees(cents(20))
        .date("15/01/2026")
        .await
        .expect("transaction");
    let got = client.get_invoice(inv).await.expect("get");
    assert_eq!(got.balance, Some(cents(600)), "money received reduces it");

    client
        .add_transaction("mailin")
        .userid(b)
        .transid("CHK-7")
        .amountin(cents(2500))
        .credit(true)
        .await
        .expect("to credit");
    let credits = client.get_credits(b).await.expect("credits");
    assert_eq!(credits.credits[0].amount, Some(cents(2500)));

    let a_txs = client.get_transactions().clientid(a).await.expect("a's");
    assert_eq!(a_txs.totalresults, Some(1));
    let t = &a_txs.transactions[0];
    assert_eq!(t.fees, Some(cents(20)));
    assert_eq!(t.date.map(|d| d.date()), Date::new(2026, 1, 15));
    let by_ref = client
        .get_transactions()
        .transid("CHK-7")
        .await
        .expect("by transid");
    assert_eq!(by_ref.transactions[0].userid, Some(b));

    let id = t.id.expect("id");
    client
        .update_transaction(id)
        .description("Corrected")
        .amountin(cents(500))
        .await
        .expect("update");
    let again = client.get_transactions().clientid(a).await.expect("a's");
    assert_eq!(
        again.transactions[0].description.as_deref(),
        Some("Corrected")
    );
    assert_eq!(
        client.get_invoice(inv).await.expect("get").balance,
        Some(cents(500))
    );
    assert_eq!(
        api_error(client.update_transaction(999).description("x").await),
        UpdateTransactionError::TransactionIdNotFound
    );
}

#[tokio::test]
async fn add_transaction_checks_its_references() {
    let (mock, client) = start().await;
    let a = add_client(&client, "a@example.com").await;
    let b = add_client(&client, "b@example.com").await;
    let inv = invoice(&client, a, cents(1000)).await;
    assert_eq!(
        api_error(
            client
                .add_transaction("mailin")
                .userid(b)
                .invoiceid(inv)
                .await
        ),
        AddTransactionError::InvoiceNotOwnedByUser
    );
    assert_eq!(
        api_error(
            client
                .add_transaction("mailin")
                .amountin(Decimal::ONE)
                .await
        ),
        AddTransactionError::CurrencyIdRequired
    );
    assert_eq!(
        api_error(client.add_transaction("mailin").currencyid(9).await),
        AddTransactionError::CurrencyIdNotFound
    );
    assert_eq!(
        api_error(client.add_transaction("mailin").userid(99).await),
        AddTransactionError::ClientIdNotFound
    );
    assert_eq!(
        api_error(client.add_transaction("mailin").invoiceid(99).await),
        AddTransactionError::InvoiceIdNotFound
    );
    client
        .add_transaction("mailin")
        .currencyid(1)
        .transid("DUP")
        .await
        .expect("no client, with a currency");
    assert_eq!(
        api_error(
            client
                .add_transaction("mailin")
                .userid(a)
                .transid("DUP")
                .await
        ),
        AddTransactionError::TransactionIdNotUnique
    );
    client
        .add_transaction("mailin")
        .userid(a)
        .transid("DUP")
        .allowduplicatetransid(true)
        .await
        .expect("allowed");

    let mut state = mock.snapshot();
    state["billing"]["currencies"]["rows"]["2"] =
        json!({"code": "EUR", "prefix": "€", "suffix": " EUR", "format": 1, "rate": "0.9"});
    mock.seed(state).expect("seed");
    assert_eq!(
        api_error(
            client
                .add_transaction("mailin")
                .userid(a)
                .currencyid(2)
                .await
        ),
        AddTransactionError::CurrencyMismatch
    );
}

#[tokio::test]
async fn pay_methods_are_added_listed_updated_and_deleted() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let card = client
        .add_pay_method(id)
        .card_number("5555555555554444")
        .card_expiry("0330")
        .description("Work card")
        .await
        .expect("card")
        .paymethodid;
    let bank = client
        .add_pay_method(id)
        .pay_method_type(NewPayMethodType::BankAccount)
        .bank_name("First Bank")
        .bank_code("021000021")
        .bank_account("123456789")
        .await
        .expect("bank")
        .paymethodid;

    let all = client.get_pay_methods(id).await.expect("list");
    assert_eq!(all.paymethods.len(), 2);
    let c = &all.paymethods[0];
    assert_eq!(
        c.id,
        Some(card),
        "the first method is the default, listed first"
    );
    assert_eq!(c.pay_method_type, Some(PayMethodType::CreditCard));
    assert_eq!(c.card_last_four.as_deref(), Some("4444"));
    assert_eq!(c.card_type.as_deref(), Some("MasterCard"));
    assert_eq!(c.expiry_date.as_deref(), Some("03/30"));
    let banks = client
        .get_pay_methods(id)
        .pay_method_type(PayMethodFilter::BankAccount)
        .await
        .expect("banks");
    assert_eq!(banks.paymethods.len(), 1);
    assert_eq!(banks.paymethods[0].bank_name.as_deref(), Some("First Bank"));

    client
        .update_pay_method(card, id)
        .card_expiry("0431")
        .await
        .expect("update");
    client
        .update_pay_method(bank, id)
        .set_as_default(true)
        .await
        .expect("default");
    let all = client.get_pay_methods(id).await.expect("list");
    assert_eq!(all.paymethods[0].id, Some(bank));
    assert_eq!(all.paymethods[1].expiry_date.as_deref(), Some("04/31"));

    client.delete_pay_method(card, id).await.expect("delete");
    let one = client
        .get_pay_methods(id)
        .paymethodid(card)
        .await
        .expect("list");
    assert!(one.paymethods.is_empty());
    assert_eq!(
        api_error(client.delete_pay_method(card, id).await),
        DeletePayMethodError::InvalidPayMethodId
    );
    assert_eq!(
        api_error(client.update_pay_method(card, id).card_expiry("0131").await),
        UpdatePayMethodError::InvalidPayMethodId
    );
    assert_eq!(
        api_error(client.get_pay_methods(99).await),
        GetPayMethodsError::ClientNotFound
    );
}

#[tokio::test]
async fn pay_methods_belong_to_their_client_and_need_their_details() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let other = add_client(&client, "o@example.com").await;
    let card = client
        .add_pay_method(id)
        .card_number("4111111111111111")
        .card_expiry("1230")
        .await
        .expect("card")
        .paymethodid;
    assert_eq!(
        api_error(client.delete_pay_method(card, other).await),
        DeletePayMethodError::PayMethodNotClients
    );
    assert_eq!(
        api_error(
            client
                .update_pay_method(card, other)
                .card_expiry("1231")
                .await
        ),
        UpdatePayMethodError::PayMethodNotClients
    );
    assert_eq!(
        api_error(client.update_pay_method(card, id).await),
        UpdatePayMethodError::NothingToUpdate
    );
    assert_eq!(
        api_error(client.update_pay_method(card, id).card_expiry("1399").await),
        UpdatePayMethodError::ExpiryDateInvalid
    );

    let e = client.add_pay_method(id).card_expiry("1230").await;
    assert_eq!(api_error(e), AddPayMethodError::CardNumberRequired);
    let e = client
        .add_pay_method(id)
        .card_number("4111111111111111")
        .await;
    assert_eq!(api_error(e), AddPayMethodError::ExpiryDateRequired);
    let e = client
        .add_pay_method(id)
        .card_number("4111111111111111")
        .card_expiry("0120")
        .await;
    assert_eq!(
        api_error(e),
        AddPayMethodError::ExpiryDateInvalid,
        "expired"
    );
    let e = client
        .add_pay_method(id)
        .pay_method_type(NewPayMethodType::RemoteCreditCard)
        .card_number("4111111111111111")
        .card_expiry("1230")
        .await;
    assert_eq!(api_error(e), AddPayMethodError::RemoteCardNeedsGateway);
    let e = client
        .add_pay_method(id)
        .card_number("4111111111111111")
        .card_expiry("1230")
        .gateway_module_name("stripe")
        .await;
    assert_eq!(
        api_error(e),
        AddPayMethodError::InvalidGatewayModuleName {
            gateways: "mailin, banktransfer, paypal, offlinecc".into()
        }
    );
    let e = client
        .add_pay_method(id)
        .pay_method_type(NewPayMethodType::BankAccount)
        .bank_account("1")
        .await;
    assert_eq!(api_error(e), AddPayMethodError::RoutingNumberRequired);
    let e = client
        .add_pay_method(id)
        .pay_method_type(NewPayMethodType::BankAccount)
        .bank_code("1")
        .await;
    assert_eq!(api_error(e), AddPayMethodError::AccountNumberRequired);
    let e = client.add_pay_method(99).await;
    assert_eq!(api_error(e), AddPayMethodError::InvalidClientId);
}

#[tokio::test]
async fn gen_invoices_bills_each_period_of_a_service_once() {
    let (mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    // An order placed without an invoice leaves its first period for the next invoice run.
    let order = client
        .add_order(id, "mailin")
        .pid([1])
        .noinvoice(true)
        .await
        .expect("order");
    client.accept_order(order.orderid).await.expect("accept");
    let sid = order.serviceids[0];
    let run = client.gen_invoices().clientid(id).await.expect("gen");
    assert_eq!(run.numcreated, Some(1));
    let first = run.latestinvoiceid.expect("latest");
    let got = client.get_invoice(first).await.expect("first period");
    assert_eq!(got.duedate, Date::new(2026, 1, 1));
    assert_eq!(got.items[0].item_type.as_deref(), Some("Hosting"));
    assert_eq!(got.items[0].relid, Some(sid));
    assert_eq!(got.total, Some(cents(1000)));
    assert_eq!(
        client.gen_invoices().await.expect("again").numcreated,
        Some(0),
        "a period is invoiced once"
    );
    // The daily run raises the next period 14 days ahead; a manual run then finds nothing.
    mock.advance_days(20);
    let unpaid = client
        .get_invoices()
        .userid(id)
        .status(InvoiceStatus::Unpaid)
        .await
        .expect("unpaid");
    let due: Vec<_> = unpaid.invoices.iter().filter_map(|i| i.duedate).collect();
    assert_eq!(
        due,
        [
            Date::new(2026, 1, 1).expect("d"),
            Date::new(2026, 2, 1).expect("d")
        ]
    );
    assert_eq!(
        client.gen_invoices().await.expect("gen").numcreated,
        Some(0)
    );
    let other = add_client(&client, "o@example.com").await;
    assert_eq!(
        client
            .gen_invoices()
            .clientid(other)
            .await
            .expect("nothing for another client")
            .numcreated,
        Some(0)
    );
    assert_eq!(
        api_error(client.gen_invoices().clientid(99).await),
        GenInvoicesError::ClientIdNotFound
    );
}

#[tokio::test]
async fn billable_items_are_invoiced_as_their_action_says() {
    let (mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let item = |description, action| {
        client
            .add_billable_item(AddBillableItemRequired {
                clientid: id,
                description,
                amount: cents(7500),
                unit: BillableUnit::Hours,
            })
            .invoiceaction(action)
    };
    let now = item("Migration", BillableInvoiceAction::Nextcron)
        .quantity(Decimal::from(3))
        .await
        .expect("billable");
    assert_eq!(now.status.as_deref(), Some("success"));
    item("Never", BillableInvoiceAction::Noinvoice)
        .await
        .expect("billable");
    item("Monthly report", BillableInvoiceAction::Recur)
        .recur(1)
        .recurcycle(BillableRecurCycle::Months)
        .recurfor(2)
        .duedate(mock.today())
        .await
        .expect("recurring");

    let run = client.gen_invoices().clientid(id).await.expect("gen");
    assert_eq!(run.numcreated, Some(1), "one invoice per client");
    let inv = client
        .get_invoice(run.latestinvoiceid.expect("latest"))
        .await
        .expect("invoice");
    let lines: Vec<_> = inv
        .items
        .iter()
        .filter_map(|i| i.description.clone())
        .collect();
    assert_eq!(lines, ["Migration", "Monthly report"]);
    assert!(
        inv.items
            .iter()
            .all(|i| i.item_type.as_deref() == Some("Item"))
    );

    let billed = |client: &whmcs_api::Client| {
        let client = client.clone();
        async move {
            let list = client.get_invoices().userid(id).await.expect("list");
            let mut n = 0;
            for inv in &list.invoices {
                let full = client
                    .get_invoice(inv.id.expect("id"))
                    .await
                    .expect("invoice");
                n += full
                    .items
                    .iter()
                    .filter(|i| i.description.as_deref() == Some("Monthly report"))
                    .count();
            }
            n
        }
    };
    assert_eq!(billed(&client).await, 1);
    // The daily run bills the recurring item once more, until `recurfor` is reached.
    mock.advance_days(31);
    assert_eq!(billed(&client).await, 2, "the recurring item, once more");
    assert_eq!(
        client.gen_invoices().await.expect("gen").numcreated,
        Some(0)
    );
    mock.advance_days(31);
    assert_eq!(billed(&client).await, 2, "recurfor reached");

    let e = item("Due", BillableInvoiceAction::Duedate).await;
    assert_eq!(api_error(e), AddBillableItemError::DueDateRequired);
    let e = item("Recur", BillableInvoiceAction::Recur)
        .duedate(mock.today())
        .await;
    assert_eq!(
        api_error(e),
        AddBillableItemError::RecurringNeedsUnitCycleLimit
    );
    let e = client
        .add_billable_item(AddBillableItemRequired {
            clientid: 99,
            description: "x",
            amount: Decimal::ONE,
            unit: BillableUnit::Quantity,
        })
        .await;
    assert_eq!(api_error(e), AddBillableItemError::ClientIdNotFound);
}

/// `lineitems` as WHMCS takes it: base64 of PHP `serialize()` of the list of lines.
fn lines(items: &[(&str, i64, &str, &str, bool)]) -> String {
    let mut list = PhpArray::new();
    for (i, (desc, qty, up, discount, taxable)) in items.iter().enumerate() {
        list.insert(
            i as i64,
            PhpArray::new()
                .with("desc", *desc)
                .with("qty", *qty)
                .with("up", *up)
                .with("discount", *discount)
                .with("taxable", *taxable),
        );
    }
    list.to_base64()
}

#[tokio::test]
async fn quotes_are_created_listed_updated_sent_and_deleted() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let quote = client
        .create_quote("Website", QuoteStage::Draft, "31/01/2026")
        .userid(id)
        .lineitems(whmcs_api::Serialized::Encoded(lines(&[
            ("Apple", 1, "1.23", "0", true),
            ("Pear", 3, "5.00", "2.50", false),
        ])))
        .await
        .expect("quote")
        .quoteid;
    let got = client.get_quotes().quoteid(quote).await.expect("quotes");
    assert_eq!(got.totalresults, Some(1));
    let q = &got.quotes[0];
    assert_eq!(q.subject.as_deref(), Some("Website"));
    assert_eq!(q.validuntil, Date::new(2026, 1, 31));
    assert_eq!(q.items.len(), 2);
    assert_eq!(
        q.subtotal,
        Some(cents(1586)),
        "3 × 5.00 less 2.5 %, plus 1.23"
    );
    assert_eq!(q.client.as_ref().and_then(|c| c.id), Some(id));

    client
        .update_quote(quote)
        .subject("Website v2")
        .stage(QuoteStage::OnHold)
        .await
        .expect("update");
    let q = &client.get_quotes().userid(id).await.expect("quotes").quotes[0];
    assert_eq!(q.subject.as_deref(), Some("Website v2"));
    assert_eq!(q.stage, Some(QuoteStage::OnHold));

    client.send_quote(quote).await.expect("send");
    let q = &client.get_quotes().await.expect("quotes").quotes[0];
    assert!(q.datesent.is_some());

    client.delete_quote(quote).await.expect("delete");
    assert_eq!(
        client.get_quotes().await.expect("quotes").totalresults,
        Some(0)
    );
    assert_eq!(
        api_error(client.send_quote(quote).await),
        SendQuoteError::QuoteIdNotFound
    );
    assert_eq!(
        api_error(client.update_quote(quote).subject("x").await),
        UpdateQuoteError::QuoteIdNotFound
    );
    assert_eq!(
        api_error(
            client
                .create_quote("", QuoteStage::Draft, "2026-02-01")
                .await
        ),
        CreateQuoteError::SubjectRequired
    );
    assert_eq!(
        api_error(client.create_quote("x", QuoteStage::Draft, "someday").await),
        CreateQuoteError::ValidUntilRequired
    );
}

#[tokio::test]
async fn get_quotes_filters_and_pages() {
    let (_mock, client) = start().await;
    let a = add_client(&client, "a@example.com").await;
    for (subject, stage) in [
        ("One", QuoteStage::Draft),
        ("Two", QuoteStage::Delivered),
        ("Three", QuoteStage::Draft),
    ] {
        client
            .create_quote(subject, stage, "2026-03-01")
            .userid(a)
            .await
            .expect("quote");
    }
    let drafts = client
        .get_quotes()
        .stage(QuoteStage::Draft)
        .await
        .expect("drafts");
    assert_eq!(drafts.totalresults, Some(2));
    let newest_first: Vec<_> = drafts.quotes.iter().filter_map(|q| q.id).collect();
    assert_eq!(newest_first, [3, 1]);
    let two = client
        .get_quotes()
        .subject("Two")
        .await
        .expect("by subject");
    assert_eq!(two.quotes[0].id, Some(2));
    let page = client
        .get_quotes()
        .limitstart(2)
        .limitnum(5)
        .await
        .expect("page");
    assert_eq!(page.totalresults, Some(3));
    assert_eq!(page.numreturned, Some(1));
    assert_eq!(page.quotes[0].id, Some(1));
}

#[tokio::test]
async fn accepting_a_quote_raises_its_invoice() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let quote = client
        .create_quote("Build", QuoteStage::Delivered, "2026-02-01")
        .userid(id)
        .lineitems(whmcs_api::Serialized::Encoded(lines(&[(
            "Design", 2, "100.00", "10", false,
        )])))
        .await
        .expect("quote")
        .quoteid;
    let accepted = client.accept_quote(quote).await.expect("accept");
    let inv = accepted.invoiceid.expect("invoice");
    let got = client.get_invoice(inv).await.expect("invoice");
    assert_eq!(got.userid, Some(id));
    assert_eq!(got.total, Some(cents(18000)));
    assert_eq!(got.status, Some(InvoiceStatus::Unpaid));
    let q = &client.get_quotes().await.expect("quotes").quotes[0];
    assert_eq!(q.stage, Some(QuoteStage::Accepted));
    assert!(q.dateaccepted.is_some());
    let stats = client
        .get_clients_details()
        .clientid(id)
        .stats(true)
        .await
        .expect("stats")
        .stats
        .expect("stats");
    assert_eq!(stats.numacceptedquotes, Some(1));
    assert_eq!(
        client.accept_quote(quote).await.expect("again").invoiceid,
        Some(inv),
        "accepting again raises no second invoice"
    );
    assert_eq!(
        api_error(client.accept_quote(99).await),
        AcceptQuoteError::QuoteIdNotFound
    );
}

#[tokio::test]
async fn accepting_a_prospects_quote_creates_the_client() {
    let (_mock, client) = start().await;
    let quote = client
        .create_quote("Starter", QuoteStage::Delivered, "2026-02-01")
        .firstname("Pat")
        .lastname("Prospect")
        .email("pat@example.com")
        .country("GB")
        .lineitems(whmcs_api::Serialized::Encoded(lines(&[(
            "Plan", 1, "49.00", "0", false,
        )])))
        .await
        .expect("quote")
        .quoteid;
    assert_eq!(
        client.get_clients().await.expect("clients").totalresults,
        Some(0)
    );
    let inv = client
        .accept_quote(quote)
        .await
        .expect("accept")
        .invoiceid
        .expect("invoice");
    let clients = client.get_clients().await.expect("clients");
    assert_eq!(clients.totalresults, Some(1));
    let new = clients.clients[0].id;
    assert_eq!(clients.clients[0].email.as_deref(), Some("pat@example.com"));
    assert_eq!(client.get_invoice(inv).await.expect("inv").userid, new);
    let users = client.get_users().await.expect("users");
    assert_eq!(users.users[0].clients[0].is_owner, Some(true));
    let q = &client.get_quotes().await.expect("quotes").quotes[0];
    assert_eq!(q.userid, new);
}

#[tokio::test]
async fn a_fresh_install_has_us_dollars_and_its_gateways() {
    let (_mock, client) = start().await;
    let currencies = client.get_currencies().await.expect("currencies");
    assert_eq!(currencies.totalresults, Some(1));
    let usd = &currencies.currencies[0];
    assert_eq!(usd.id, Some(1));
    assert_eq!(usd.code.as_deref(), Some("USD"));
    assert_eq!(usd.prefix.as_deref(), Some("$"));
    let gateways = client.get_payment_methods().await.expect("gateways");
    let modules: Vec<_> = gateways
        .paymentmethods
        .iter()
        .filter_map(|g| g.module.clone())
        .collect();
    assert!(modules.contains(&"mailin".to_string()));
    assert!(modules.contains(&"paypal".to_string()));
    assert_eq!(gateways.totalresults, Some(modules.len() as i64));
}

#[tokio::test]
async fn absurd_amounts_never_bring_the_mock_down() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let huge = Decimal::MAX;
    for _ in 0..2 {
        client
            .add_credit(id, "a lot", huge)
            .await
            .expect("saturates, does not overflow");
    }
    let inv = client
        .create_invoice(id)
        .taxrate(Decimal::ONE_HUNDRED)
        .items([
            InvoiceItem::new("Big", huge).taxed(true),
            InvoiceItem::new("Bigger", huge).taxed(true),
        ])
        .await
        .expect("invoice")
        .invoiceid;
    client.get_invoice(inv).await.expect("totals");
    client.apply_credit(inv).await.expect("apply");
    client
        .get_clients_details()
        .clientid(id)
        .stats(true)
        .await
        .expect("stats");
    client
        .create_quote("Huge", QuoteStage::Draft, "2026-02-01")
        .lineitems(whmcs_api::Serialized::Encoded(lines(&[(
            "All",
            i64::MAX,
            "79228162514264337593543950335",
            "-500",
            true,
        )])))
        .await
        .expect("quote");
    client
        .create_quote("Garbage", QuoteStage::Draft, "2026-02-01")
        .lineitems(whmcs_api::Serialized::Encoded("a:9:{i:0;s:99999".into()))
        .await
        .expect("unreadable lines are no lines");
    let quotes = client.get_quotes().await.expect("quotes");
    assert_eq!(quotes.totalresults, Some(2));
}

#[tokio::test]
async fn gen_invoices_bills_the_next_period_even_when_the_last_is_unpaid() {
    let (mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let order = client
        .add_order(id, "mailin")
        .pid([1])
        .await
        .expect("order");
    client.accept_order(order.orderid).await.expect("accept");
    // The daily run on the 18th raises February's invoice though January's is unpaid.
    mock.advance_days(18);
    let run = client.gen_invoices().await.expect("gen");
    assert_eq!(run.numcreated, Some(0), "the daily run already raised it");
    let unpaid = client
        .get_invoices()
        .userid(id)
        .status(InvoiceStatus::Unpaid)
        .await
        .expect("unpaid");
    let due: Vec<_> = unpaid.invoices.iter().filter_map(|i| i.duedate).collect();
    assert_eq!(
        due,
        [
            Date::new(2026, 1, 1).expect("date"),
            Date::new(2026, 2, 1).expect("date")
        ]
    );
}

#[tokio::test]
async fn create_invoice_emails_the_invoice_only_when_asked() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    invoice(&client, id, cents(1000)).await;
    assert_eq!(
        mail_subjects(&client, id).await,
        ["Welcome to Example Hosting"],
        "not sent unless asked"
    );
    client
        .create_invoice(id)
        .sendinvoice(true)
        .items([InvoiceItem::new("Consulting", cents(1000))])
        .await
        .expect("CreateInvoice");
    let mails = client.get_emails(id).await.expect("GetEmails");
    assert_eq!(mails.totalresults, Some(2));
    assert_eq!(mails.emails[0].subject.as_deref(), Some("Customer Invoice"));
    assert_eq!(
        mails.emails[0].message.as_deref(),
        Some("<p>Dear Grace Hopper,</p><p>Invoice Created.</p>")
    );
    assert_eq!(
        api_error(
            client
                .create_invoice(id)
                .draft(true)
                .sendinvoice(true)
                .await
        ),
        CreateInvoiceError::DraftCannotBeSent
    );
    assert_eq!(
        mail_subjects(&client, id).await.len(),
        2,
        "a draft is not sent"
    );
}

#[tokio::test]
async fn the_payment_that_pays_an_invoice_is_confirmed_unless_noemail() {
    let (mock, client) = start().await;
    let id = add_client(&client, "g@example.com").await;
    let inv = invoice(&client, id, cents(1000)).await;
    pay(&mock, &client, inv, cents(400), "part").await;
    assert_eq!(
        mail_subjects(&client, id).await,
        ["Welcome to Example Hosting"],
        "still unpaid"
    );
    pay(&mock, &client, inv, cents(600), "rest").await;
    let confirmed = ["Invoice Payment Confirmation", "Welcome to Example Hosting"];
    assert_eq!(mail_subjects(&client, id).await, confirmed);
    pay(&mock, &client, inv, cents(100), "over").await;
    assert_eq!(
        mail_subjects(&client, id).await,
        confirmed,
        "an invoice already paid is not confirmed again"
    );

    let quiet = invoice(&client, id, cents(1000)).await;
    client
        .add_invoice_payment(AddInvoicePaymentRequired {
            invoiceid: quiet,
            transid: "quiet",
            gateway: "mailin",
            date: at(&mock),
        })
        .noemail(true)
        .await
        .expect("AddInvoicePayment");
    let got = client.get_invoice(quiet).await.expect("GetInvoice");
    assert_eq!(got.status, Some(InvoiceStatus::Paid));
    assert_eq!(mail_subjects(&client, id).await, confirmed);
}

#[tokio::test]
async fn gen_invoices_emails_each_new_invoice_unless_noemails() {
    let (_mock, client) = start().await;
    let mut clients = Vec::new();
    for email in ["loud@example.com", "quiet@example.com"] {
        let id = add_client(&client, email).await;
        let order = client
            .add_order(id, "mailin")
            .pid([1])
            .noinvoice(true)
            .await
            .expect("order");
        client.accept_order(order.orderid).await.expect("accept");
        clients.push(id);
    }
    let (loud, quiet) = (clients[0], clients[1]);
    let run = client.gen_invoices().clientid(loud).await.expect("gen");
    assert_eq!(run.numcreated, Some(1));
    assert_eq!(
        mail_subjects(&client, loud).await,
        [
            "Customer Invoice",
            "Order Confirmation",
            "Welcome to Example Hosting"
        ]
    );
    let run = client
        .gen_invoices()
        .clientid(quiet)
        .noemails(true)
        .await
        .expect("gen");
    assert_eq!(run.numcreated, Some(1));
    assert_eq!(
        mail_subjects(&client, quiet).await,
        ["Order Confirmation", "Welcome to Example Hosting"]
    );
}
