//! Clients and the users that log in to them.

use serde::{Deserialize, Serialize};
use whmcs_api::actions::client::{get_clients, get_clients_details};
use whmcs_api::actions::{
    AddClient, AddClientError, AddClientResponse, ClientStatus, CloseClient, CloseClientError,
    CloseClientResponse, DeleteClient, DeleteClientError, DeleteClientResponse, GetClients,
    GetClientsDetails, GetClientsDetailsError, GetClientsDetailsResponse, GetClientsError,
    GetClientsResponse, UpdateClient, UpdateClientError, UpdateClientResponse,
};
use whmcs_api::{Date, Decimal};

use super::registry::Registry;
use super::{State, Table, page};

/// The client tables.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Clients {
    pub(crate) clients: Table<Client>,
    pub(crate) users: Table<User>,
}

/// A client account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Client {
    pub(crate) firstname: String,
    pub(crate) lastname: String,
    pub(crate) companyname: String,
    pub(crate) email: String,
    pub(crate) address1: String,
    pub(crate) address2: String,
    pub(crate) city: String,
    pub(crate) state: String,
    pub(crate) postcode: String,
    pub(crate) country: String,
    pub(crate) phonenumber: String,
    pub(crate) status: ClientStatus,
    pub(crate) datecreated: Date,
    pub(crate) groupid: i64,
    pub(crate) currency: i64,
    pub(crate) language: String,
    pub(crate) notes: String,
    /// The credit balance.
    pub(crate) credit: Decimal,
    /// The user that owns the account.
    pub(crate) owner_user_id: i64,
}

impl Client {
    pub(crate) fn fullname(&self) -> String {
        format!("{} {}", self.firstname, self.lastname)
    }
}

/// A user: a login that can reach one or more client accounts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct User {
    pub(crate) firstname: String,
    pub(crate) lastname: String,
    pub(crate) email: String,
    /// The client accounts the user reaches.
    pub(crate) clients: Vec<i64>,
}

impl Clients {
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "client" => Some(self.clients.contains(id)),
            "user" => Some(self.users.contains(id)),
            _ => None,
        }
    }

    /// The client with this email address (any case).
    fn by_email(&self, email: &str) -> Option<(i64, &Client)> {
        self.clients
            .iter()
            .find(|(_, c)| c.email.eq_ignore_ascii_case(email))
    }
}

pub(crate) fn register(r: &mut Registry) {
    r.on::<AddClient>(add_client);
    r.read::<GetClients>(get_clients);
    r.read::<GetClientsDetails>(get_clients_details);
    r.on::<UpdateClient>(update_client);
    r.on::<DeleteClient>(delete_client);
    r.on::<CloseClient>(close_client);
}

fn add_client(w: &mut State, r: AddClient) -> Result<AddClientResponse, AddClientError> {
    if !r.email.contains('@') {
        return Err(AddClientError::EmailInvalid);
    }
    let taken = w.clients.by_email(&r.email).is_some()
        || w.clients
            .users
            .iter()
            .any(|(_, u)| u.email.eq_ignore_ascii_case(&r.email));
    if taken {
        return Err(AddClientError::UserEmailExists);
    }
    let user = match r.owner_user_id {
        Some(id) if !w.clients.users.contains(id) => {
            return Err(AddClientError::InvalidOwnerUserId);
        }
        Some(id) => id,
        None => w.clients.users.insert(User {
            firstname: r.firstname.clone(),
            lastname: r.lastname.clone(),
            email: r.email.clone(),
            clients: Vec::new(),
        }),
    };
    let id = w.clients.clients.insert(Client {
        firstname: r.firstname,
        lastname: r.lastname,
        companyname: r.companyname.unwrap_or_default(),
        email: r.email,
        address1: r.address1,
        address2: r.address2.unwrap_or_default(),
        city: r.city,
        state: r.state,
        postcode: r.postcode,
        country: r.country,
        phonenumber: r.phonenumber,
        status: ClientStatus::Active,
        datecreated: w.today(),
        groupid: r.groupid.unwrap_or(0),
        currency: r.currency.unwrap_or(1),
        language: r.language.unwrap_or_default(),
        notes: r.notes.unwrap_or_default(),
        credit: Decimal::ZERO,
        owner_user_id: user,
    });
    if let Some(u) = w.clients.users.get_mut(user) {
        u.clients.push(id);
    }
    w.log(id, format!("Client Created - Client ID: {id}"));
    Ok(AddClientResponse {
        clientid: id,
        ..Default::default()
    })
}

fn get_clients(w: &State, r: GetClients) -> Result<GetClientsResponse, GetClientsError> {
    let search = r.search.as_deref().map(str::to_ascii_lowercase);
    let rows: Vec<get_clients::ClientSummary> = w
        .clients
        .clients
        .iter()
        .filter(|(_, c)| r.status.as_ref().is_none_or(|s| *s == c.status))
        .filter(|(_, c)| {
            search.as_ref().is_none_or(|s| {
                [&c.firstname, &c.lastname, &c.companyname, &c.email]
                    .iter()
                    .any(|f| f.to_ascii_lowercase().contains(s.as_str()))
            })
        })
        .map(|(id, c)| get_clients::ClientSummary {
            id: Some(id),
            firstname: Some(c.firstname.clone()),
            lastname: Some(c.lastname.clone()),
            companyname: Some(c.companyname.clone()),
            email: Some(c.email.clone()),
            datecreated: Some(c.datecreated),
            groupid: Some(c.groupid),
            status: Some(c.status.clone()),
            ..Default::default()
        })
        .collect();
    let (total, start, clients) = page(rows, r.limitstart, r.limitnum);
    Ok(GetClientsResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(clients.len() as i64),
        clients,
        ..Default::default()
    })
}

fn get_clients_details(
    w: &State,
    r: GetClientsDetails,
) -> Result<GetClientsDetailsResponse, GetClientsDetailsError> {
    let found = match (r.clientid, r.email.as_deref()) {
        (Some(id), _) => w.clients.clients.get(id).map(|c| (id, c)),
        (None, Some(email)) => w.clients.by_email(email),
        (None, None) => None,
    };
    let (id, c) = found.ok_or(GetClientsDetailsError::ClientNotFound)?;
    let users = w
        .clients
        .users
        .iter()
        .filter(|(_, u)| u.clients.contains(&id))
        .map(|(uid, u)| get_clients_details::ClientUser {
            id: Some(uid),
            name: Some(format!("{} {}", u.firstname, u.lastname)),
            email: Some(u.email.clone()),
            is_owner: Some(uid == c.owner_user_id),
            ..Default::default()
        })
        .collect();
    let client = get_clients_details::Client {
        client_id: Some(id),
        userid: Some(id),
        id: Some(id),
        owner_user_id: Some(c.owner_user_id),
        firstname: Some(c.firstname.clone()),
        lastname: Some(c.lastname.clone()),
        fullname: Some(c.fullname()),
        companyname: Some(c.companyname.clone()),
        email: Some(c.email.clone()),
        address1: Some(c.address1.clone()),
        address2: Some(c.address2.clone()),
        city: Some(c.city.clone()),
        fullstate: Some(c.state.clone()),
        state: Some(c.state.clone()),
        postcode: Some(c.postcode.clone()),
        countrycode: Some(c.country.clone()),
        country: Some(c.country.clone()),
        phonenumber: Some(c.phonenumber.clone()),
        notes: Some(c.notes.clone()),
        currency: Some(c.currency),
        groupid: Some(c.groupid),
        status: Some(c.status.clone()),
        credit: Some(c.credit),
        language: Some(c.language.clone()),
        users,
        ..Default::default()
    };
    Ok(GetClientsDetailsResponse {
        client: Some(client),
        stats: r
            .stats
            .unwrap_or(false)
            .then(|| super::billing::client_stats(w, id)),
        ..Default::default()
    })
}

fn update_client(
    w: &mut State,
    r: UpdateClient,
) -> Result<UpdateClientResponse, UpdateClientError> {
    let id = r.clientid.unwrap_or(0);
    if let Some(email) = &r.email
        && w.clients
            .by_email(email)
            .is_some_and(|(other, _)| other != id)
    {
        return Err(UpdateClientError::DuplicateEmailAddress);
    }
    let c = w
        .clients
        .clients
        .get_mut(id)
        .ok_or(UpdateClientError::ClientNotFound)?;
    let set = |field: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    set(&mut c.firstname, r.firstname);
    set(&mut c.lastname, r.lastname);
    set(&mut c.email, r.email);
    set(&mut c.companyname, r.companyname);
    set(&mut c.address1, r.address1);
    set(&mut c.address2, r.address2);
    set(&mut c.city, r.city);
    set(&mut c.state, r.state);
    set(&mut c.postcode, r.postcode);
    set(&mut c.country, r.country);
    set(&mut c.phonenumber, r.phonenumber);
    set(&mut c.language, r.language);
    set(&mut c.notes, r.notes);
    if let Some(s) = r.status {
        c.status = s;
    }
    if let Some(g) = r.groupid {
        c.groupid = g;
    }
    if let Some(cur) = r.currency {
        c.currency = cur;
    }
    w.log(id, format!("Client Profile Modified - Client ID: {id}"));
    Ok(UpdateClientResponse {
        clientid: Some(id),
        ..Default::default()
    })
}

fn delete_client(
    w: &mut State,
    r: DeleteClient,
) -> Result<DeleteClientResponse, DeleteClientError> {
    let id = r.clientid;
    let client = w
        .clients
        .clients
        .remove(id)
        .ok_or(DeleteClientError::ClientNotFound)?;
    for (_, u) in w.clients.users.iter_mut() {
        u.clients.retain(|c| *c != id);
    }
    if r.deleteusers.unwrap_or(false) {
        w.clients
            .users
            .retain(|uid, u| uid != client.owner_user_id || !u.clients.is_empty());
    }
    w.orders.forget_client(id);
    w.billing
        .forget_client(id, r.deletetransactions.unwrap_or(false));
    w.support.forget_client(id);
    w.log(id, format!("Client Deleted - ID: {id}"));
    Ok(DeleteClientResponse {
        clientid: Some(id),
        ..Default::default()
    })
}

fn close_client(w: &mut State, r: CloseClient) -> Result<CloseClientResponse, CloseClientError> {
    let id = r.clientid;
    let c = w
        .clients
        .clients
        .get_mut(id)
        .ok_or(CloseClientError::ClientNotFound)?;
    c.status = ClientStatus::Closed;
    w.orders.close_client(id);
    w.billing.close_client(id);
    w.log(
        id,
        format!("Client Status changed to Closed - User ID: {id}"),
    );
    Ok(CloseClientResponse {
        clientid: Some(id),
        ..Default::default()
    })
}
