//! GetStats: the admin dashboard's figures, each derived from the tables it summarises.
//!
//! Income is money received less gateway fees and money paid back (`amountin − fees −
//! amountout` of the transactions), in the default currency's format; orders are counted by the
//! day they were placed and their status now; tickets as GetTicketCounts counts them (the API
//! admin's departments); cancellations pending are requests on services not yet cancelled or
//! terminated; to-dos due are those not completed whose due date has come; staff online are the
//! sessions GetStaffOnline lists. The mock keeps no network issues, billable items or quotes
//! yet, so those count 0.

use whmcs_api::actions::system::get_stats;
use whmcs_api::actions::{GetStats, GetStatsError, GetStatsResponse, OrderStatus, ServiceStatus};
use whmcs_api::{Date, Decimal};

use super::registry::Registry;
use super::{State, calendar};

/// The longest history GetStats gives, in days.
const MAX_TIMELINE: i64 = 90;

/// Registers GetStats' handler.
pub(crate) fn register(r: &mut Registry) {
    r.read::<GetStats>(get_stats);
}

/// Net income of the transactions dated within `from..=to`.
fn income(w: &State, from: Option<Date>, to: Date) -> Decimal {
    w.billing
        .transactions
        .iter()
        .map(|(_, t)| t)
        .filter(|t| from.is_none_or(|f| t.date.date() >= f) && t.date.date() <= to)
        .map(|t| t.amountin - t.fees - t.amountout)
        .sum()
}

/// The dashboard figures, with the daily history of the last `timeline_days` days (at most 90).
fn get_stats(w: &State, r: GetStats) -> Result<GetStatsResponse, GetStatsError> {
    let today = w.today();
    let yesterday = calendar::add_days(today, -1).unwrap_or(today);
    let month = Date::new(today.year(), today.month(), 1).unwrap_or(today);
    let year = Date::new(today.year(), 1, 1).unwrap_or(today);
    let orders: Vec<_> = w.orders.orders.iter().map(|(_, o)| o).collect();
    let placed = |day: Date, status: Option<OrderStatus>| {
        orders
            .iter()
            .filter(|o| o.date.date() == day)
            .filter(|o| status.as_ref().is_none_or(|s| *s == o.status))
            .count() as i64
    };
    let since = |first: Date| {
        orders
            .iter()
            .filter(|o| o.date.date() >= first && o.date.date() <= today)
            .count() as i64
    };
    let tickets = super::support::counts(w, false);
    let by_status = |title: &str| {
        tickets
            .by_status
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(title))
            .map_or(0, |(_, n)| *n)
    };
    let money = |d: Decimal| super::billing::format_money(w, 1, d);
    // Requests not yet carried out: the service is still live.
    let cancellations = w
        .orders
        .cancellations
        .iter()
        .filter(|(_, c)| {
            !c.done
                && w.orders.services.get(c.serviceid).is_some_and(|s| {
                    !matches!(
                        s.status,
                        ServiceStatus::Cancelled | ServiceStatus::Terminated
                    )
                })
        })
        .count() as i64;
    let timeline = r.timeline_days.filter(|d| *d > 0).map(|days| {
        let mut t = get_stats::Timeline::default();
        for back in 0..days.min(MAX_TIMELINE) {
            let Some(day) = calendar::add_days(today, -back) else {
                continue;
            };
            let key = day.to_string();
            let of_day: Vec<_> = w
                .billing
                .transactions
                .iter()
                .map(|(_, t)| t)
                .filter(|t| t.date.date() == day)
                .collect();
            t.new_orders.insert(key.clone(), placed(day, None));
            t.accepted_orders
                .insert(key.clone(), placed(day, Some(OrderStatus::Active)));
            t.income.insert(
                key.clone(),
                of_day.iter().map(|t| t.amountin - t.fees).sum(),
            );
            t.expenditure
                .insert(key.clone(), of_day.iter().map(|t| t.amountout).sum());
            t.new_tickets.insert(
                key,
                w.support
                    .tickets
                    .iter()
                    .filter(|(_, tk)| tk.date.date() == day)
                    .count() as i64,
            );
        }
        t
    });
    Ok(GetStatsResponse {
        income_today: Some(money(income(w, Some(today), today))),
        income_thismonth: Some(money(income(w, Some(month), today))),
        income_thisyear: Some(money(income(w, Some(year), today))),
        income_alltime: Some(money(income(w, None, today))),
        orders_pending: Some(
            orders
                .iter()
                .filter(|o| o.status == OrderStatus::Pending)
                .count() as i64,
        ),
        orders_today_cancelled: Some(placed(today, Some(OrderStatus::Cancelled))),
        orders_today_pending: Some(placed(today, Some(OrderStatus::Pending))),
        orders_today_fraud: Some(placed(today, Some(OrderStatus::Fraud))),
        orders_today_active: Some(placed(today, Some(OrderStatus::Active))),
        orders_today_total: Some(placed(today, None)),
        orders_yesterday_cancelled: Some(placed(yesterday, Some(OrderStatus::Cancelled))),
        orders_yesterday_pending: Some(placed(yesterday, Some(OrderStatus::Pending))),
        orders_yesterday_fraud: Some(placed(yesterday, Some(OrderStatus::Fraud))),
        orders_yesterday_active: Some(placed(yesterday, Some(OrderStatus::Active))),
        orders_yesterday_total: Some(placed(yesterday, None)),
        orders_thismonth_total: Some(since(month)),
        orders_thisyear_total: Some(since(year)),
        tickets_allactive: Some(tickets.active),
        tickets_awaitingreply: Some(tickets.awaiting),
        tickets_flaggedtickets: Some(tickets.flagged),
        tickets_open: Some(by_status("Open")),
        tickets_answered: Some(by_status("Answered")),
        tickets_customerreply: Some(by_status("Customer-Reply")),
        tickets_closed: Some(by_status("Closed")),
        tickets_onhold: Some(by_status("On Hold")),
        tickets_inprogress: Some(by_status("In Progress")),
        cancellations_pending: Some(cancellations),
        todoitems_due: Some(w.todos.due(today)),
        networkissues_open: Some(0),
        billableitems_uninvoiced: Some(0),
        quotes_valid: Some(0),
        staff_online: Some(w.admins.online(w.now).count() as i64),
        timeline_data: timeline,
        ..Default::default()
    })
}
