//! Affiliates: client accounts enrolled to refer others, with their commission balance.

use serde::{Deserialize, Serialize};
use whmcs_api::actions::affiliates::get_affiliates;
use whmcs_api::actions::{
    AffiliateActivate, AffiliateActivateError, AffiliateActivateResponse, AffiliatePayType,
    GetAffiliates, GetAffiliatesError, GetAffiliatesResponse,
};
use whmcs_api::{Date, DateTime, Decimal};

use super::registry::Registry;
use super::{State, Table, page};

/// The affiliate tables.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Affiliates {
    pub(crate) affiliates: Table<Affiliate>,
}

/// A client's affiliate account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Affiliate {
    pub(crate) clientid: i64,
    pub(crate) date: Date,
    pub(crate) visitors: i64,
    /// Empty for the system's default commission.
    pub(crate) paytype: AffiliatePayType,
    pub(crate) payamount: Decimal,
    /// Paid once rather than on every renewal.
    pub(crate) onetime: bool,
    pub(crate) balance: Decimal,
    pub(crate) withdrawn: Decimal,
    pub(crate) created_at: DateTime,
    pub(crate) updated_at: DateTime,
}

impl Affiliates {
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "affiliate" => Some(self.affiliates.contains(id)),
            _ => None,
        }
    }

    /// The affiliate account of a client, if it has one.
    pub(crate) fn of_client(&self, client: i64) -> Option<i64> {
        self.affiliates
            .iter()
            .find(|(_, a)| a.clientid == client)
            .map(|(id, _)| id)
    }

    /// A deleted client's affiliate account goes with it.
    pub(crate) fn forget_client(&mut self, client: i64) {
        self.affiliates.retain(|_, a| a.clientid != client);
    }
}

pub(crate) fn register(r: &mut Registry) {
    r.on::<AffiliateActivate>(affiliate_activate);
    r.read::<GetAffiliates>(get_affiliates);
}

fn affiliate_activate(
    w: &mut State,
    r: AffiliateActivate,
) -> Result<AffiliateActivateResponse, AffiliateActivateError> {
    if !w.clients.clients.contains(r.userid) {
        return Err(AffiliateActivateError::ClientIdNotFound);
    }
    // Activating an affiliate again keeps its one account.
    if w.affiliates.of_client(r.userid).is_none() {
        let now = w.now;
        let id = w.affiliates.affiliates.insert(Affiliate {
            clientid: r.userid,
            date: now.date(),
            visitors: 0,
            paytype: AffiliatePayType::Empty,
            payamount: Decimal::ZERO,
            onetime: false,
            balance: Decimal::ZERO,
            withdrawn: Decimal::ZERO,
            created_at: now,
            updated_at: now,
        });
        w.log(
            r.userid,
            format!("Activated Affiliate Account - Affiliate ID: {id}"),
        );
    }
    Ok(AffiliateActivateResponse::default())
}

fn get_affiliates(
    w: &State,
    r: GetAffiliates,
) -> Result<GetAffiliatesResponse, GetAffiliatesError> {
    let rows: Vec<get_affiliates::Affiliate> = w
        .affiliates
        .affiliates
        .iter()
        .filter(|(_, a)| {
            r.userid.is_none_or(|x| x == a.clientid)
                && r.visitors.is_none_or(|x| x == a.visitors)
                && r.paytype.as_ref().is_none_or(|x| *x == a.paytype)
                && r.payamount.is_none_or(|x| x == a.payamount)
                && r.onetime.is_none_or(|x| x == a.onetime)
                && r.balance.is_none_or(|x| x == a.balance)
                && r.withdrawn.is_none_or(|x| x == a.withdrawn)
        })
        .map(|(id, a)| get_affiliates::Affiliate {
            id: Some(id),
            date: Some(a.date),
            clientid: Some(a.clientid),
            visitors: Some(a.visitors),
            paytype: Some(a.paytype.clone()),
            payamount: Some(a.payamount),
            onetime: Some(a.onetime),
            balance: Some(a.balance),
            withdrawn: Some(a.withdrawn),
            created_at: Some(a.created_at),
            updated_at: Some(a.updated_at),
            ..Default::default()
        })
        .collect();
    let (total, start, affiliates) = page(rows, r.limitstart, r.limitnum);
    Ok(GetAffiliatesResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(affiliates.len() as i64),
        affiliates,
        ..Default::default()
    })
}
