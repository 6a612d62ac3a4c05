//! Billable items (charges waiting for an invoice), and how an invoice run bills them: once the
//! run (GenInvoices, or the daily cron's, both in `flows.rs`) has raised the invoices of services,
//! addons and domains coming due, the billable items whose time has come are invoiced.

use std::collections::BTreeMap;

use whmcs_api::Date;
use whmcs_api::actions::{
    AddBillableItem, AddBillableItemError, AddBillableItemResponse, BillableInvoiceAction,
    BillableRecurCycle,
};

use super::super::State;
use super::super::dates::{add_days_capped, add_months};
use super::super::registry::Registry;
use super::{BillableItem, NewItem, raise_invoice};

/// How many days before its due date a service's renewal invoice is raised (WHMCS's default).
pub(crate) const INVOICE_DAYS_BEFORE: u32 = 14;

pub(crate) fn register(r: &mut Registry) {
    r.on::<AddBillableItem>(add_billable_item);
}

fn add_billable_item(
    w: &mut State,
    r: AddBillableItem,
) -> Result<AddBillableItemResponse, AddBillableItemError> {
    if !w.clients.clients.contains(r.clientid) {
        return Err(AddBillableItemError::ClientIdNotFound);
    }
    if r.description.trim().is_empty() {
        return Err(AddBillableItemError::DescriptionRequired);
    }
    let action = r.invoiceaction.unwrap_or(BillableInvoiceAction::Noinvoice);
    let recurring = action == BillableInvoiceAction::Recur;
    if recurring
        && (r.recur.is_none_or(|n| n <= 0)
            || r.recurcycle.is_none()
            || r.recurfor.is_none_or(|n| n <= 0))
    {
        return Err(AddBillableItemError::RecurringNeedsUnitCycleLimit);
    }
    if matches!(
        action,
        BillableInvoiceAction::Duedate | BillableInvoiceAction::Recur
    ) && r.duedate.is_none()
    {
        return Err(AddBillableItemError::DueDateRequired);
    }
    let id = w.billing.billable.insert(BillableItem {
        userid: r.clientid,
        description: r.description,
        amount: r.amount,
        unit: r.unit,
        quantity: r.quantity.unwrap_or_default(),
        invoiceaction: action,
        recur: r.recur.unwrap_or(0),
        recurcycle: r.recurcycle,
        recurfor: if recurring {
            r.recurfor.unwrap_or(0)
        } else {
            0
        },
        duedate: r.duedate,
        invoicecount: 0,
    });
    w.log(r.clientid, format!("Billable Item Added - ID: {id}"));
    Ok(AddBillableItemResponse {
        status: Some("success".into()),
        billableid: id,
        ..Default::default()
    })
}

/// Which records one invoice run may bill.
#[derive(Default)]
pub(crate) struct Scope<'a> {
    /// Only this client.
    pub(crate) client: Option<i64>,
    /// Only these services (and then no addons, domains or billable items).
    pub(crate) services: Option<&'a [i64]>,
}

/// One line due for a client.
struct Due {
    item: NewItem,
    duedate: Date,
    gateway: String,
}

/// Raises the invoices of the billable items whose time has come (by today plus the invoice
/// window, or at once for `nextcron`; `nextinvoice` ones only for clients in `invoiced`, whose
/// invoices this run raised), one invoice per client (one per line for clients who asked for
/// separate invoices). Returns the new invoices' ids.
pub(crate) fn generate_invoices(w: &mut State, scope: &Scope<'_>, invoiced: &[i64]) -> Vec<i64> {
    let today = w.today();
    let horizon = add_days_capped(today, INVOICE_DAYS_BEFORE);
    let mut due: BTreeMap<i64, Vec<Due>> = BTreeMap::new();
    let mut billed = Vec::new();
    if scope.services.is_none() {
        for (bid, b) in w.billing.billable.iter() {
            if !b.pending() || scope.client.is_some_and(|c| c != b.userid) {
                continue;
            }
            let when = match b.invoiceaction {
                BillableInvoiceAction::Nextcron => Some(today),
                BillableInvoiceAction::Nextinvoice => {
                    // Billed with the client's next invoice: one raised in this run.
                    invoiced.contains(&b.userid).then_some(today)
                }
                _ => b.duedate.filter(|d| *d <= horizon),
            };
            let Some(when) = when else {
                continue;
            };
            due.entry(b.userid).or_default().push(Due {
                item: NewItem {
                    kind: "Item".into(),
                    relid: bid,
                    description: b.description.clone(),
                    amount: b.amount,
                    taxed: false,
                },
                duedate: when,
                gateway: String::new(),
            });
            billed.push(bid);
        }
    }
    for bid in billed {
        if let Some(b) = w.billing.billable.get_mut(bid) {
            b.invoicecount += 1;
            if b.invoiceaction == BillableInvoiceAction::Recur
                && let Some(d) = b.duedate
            {
                b.duedate = Some(next_recurrence(d, b.recur, b.recurcycle.as_ref()));
            }
        }
    }
    let mut created = Vec::new();
    for (client, lines) in due {
        let Some(c) = w.clients.clients.get(client) else {
            continue;
        };
        let default_gateway = if c.defaultgateway.is_empty() {
            w.billing
                .gateways
                .first()
                .map_or_else(|| "mailin".to_string(), |g| g.module.clone())
        } else {
            c.defaultgateway.clone()
        };
        let groups: Vec<Vec<Due>> = if c.flags.separateinvoices {
            lines.into_iter().map(|l| vec![l]).collect()
        } else {
            vec![lines]
        };
        for group in groups {
            let Some(duedate) = group.iter().map(|d| d.duedate).min() else {
                continue;
            };
            let gateway = group
                .iter()
                .map(|d| d.gateway.clone())
                .find(|g| !g.is_empty())
                .unwrap_or_else(|| default_gateway.clone());
            let items = group.into_iter().map(|d| d.item).collect();
            created.push(raise_invoice(w, client, items, duedate, &gateway));
        }
    }
    created
}

/// The due date after `date` for an item recurring every `n` `cycle`s.
fn next_recurrence(date: Date, n: i64, cycle: Option<&BillableRecurCycle>) -> Date {
    let n = u32::try_from(n.max(1)).unwrap_or(1);
    match cycle {
        Some(BillableRecurCycle::Days) => add_days_capped(date, n),
        Some(BillableRecurCycle::Weeks) => add_days_capped(date, n.saturating_mul(7)),
        Some(BillableRecurCycle::Years) => add_months(date, i64::from(n.saturating_mul(12))),
        _ => add_months(date, i64::from(n)),
    }
}
