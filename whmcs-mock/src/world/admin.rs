//! Admin users, their roles and sign-in sessions. The API credentials of the mock belong to admin
//! 1 ([`API_ADMIN`]), the account a fresh installation has: it is the caller of every action
//! (GetAdminDetails, UpdateAdminNotes), the author of notes and project posts unless told
//! otherwise, and its support departments bound what ticket listings show.

use super::API_ADMIN;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use whmcs_api::DateTime;
use whmcs_api::actions::system::{get_admin_users, get_staff_online};
use whmcs_api::actions::{
    GetAdminDetails, GetAdminDetailsError, GetAdminDetailsResponse, GetAdminUsers,
    GetAdminUsersError, GetAdminUsersResponse, GetStaffOnline, GetStaffOnlineError,
    GetStaffOnlineResponse, UpdateAdminNotes, UpdateAdminNotesError, UpdateAdminNotesResponse,
};

use super::registry::Registry;
use super::{State, Table, calendar};

/// How long after its last page load a session counts as online, in seconds.
const ONLINE_WINDOW: i64 = 15 * 60;

/// Permission names of the admin area, as WHMCS lists them in `allowedpermissions`.
const PERMISSIONS: &[&str] = &[
    "Main Homepage",
    "My Account",
    "List Clients",
    "List Services",
    "List Domains",
    "Add New Client",
    "Edit Clients Details",
    "View Clients Notes",
    "Add/Edit Client Notes",
    "Delete Client",
    "View Orders",
    "Delete Order",
    "Add New Order",
    "List Transactions",
    "Add Transaction",
    "List Invoices",
    "Create Invoice",
    "Manage Invoice",
    "Support Center Overview",
    "Manage Announcements",
    "List Support Tickets",
    "Open New Ticket",
    "Manage Predefined Replies",
    "To-Do List",
    "View Activity Log",
    "View Email Message Log",
    "Configure General Settings",
    "Configure Administrators",
    "Configure Support Departments",
    "Configure Banned Emails",
    "API Access",
    "View Flagged Tickets",
    "Manage Quotes",
    "Configure Currencies",
    "Delete Ticket",
    "View Income Totals",
    "View Support Ticket",
    "View Banned IPs",
    "Add Banned IP",
    "View Email Templates",
    "Health and Updates",
];

/// The admin tables.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Admins {
    pub(crate) roles: Table<Role>,
    pub(crate) admins: Table<Admin>,
    /// Sign-ins to the admin area, oldest first.
    pub(crate) sessions: Vec<Session>,
}

/// An admin role: a named set of permissions.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Role {
    pub(crate) name: String,
    pub(crate) permissions: Vec<String>,
}

/// An admin user.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Admin {
    pub(crate) uuid: String,
    pub(crate) roleid: i64,
    pub(crate) username: String,
    pub(crate) firstname: String,
    pub(crate) lastname: String,
    pub(crate) email: String,
    /// Appended to the admin's ticket replies.
    pub(crate) signature: String,
    /// The admin's own notes (UpdateAdminNotes).
    pub(crate) notes: String,
    pub(crate) template: String,
    pub(crate) language: String,
    pub(crate) disabled: bool,
    pub(crate) login_attempts: i64,
    /// The support departments the admin belongs to.
    pub(crate) departments: Vec<i64>,
    /// The departments whose new tickets the admin is emailed about.
    pub(crate) ticket_notifications: Vec<i64>,
    pub(crate) created_at: DateTime,
    pub(crate) updated_at: DateTime,
}

impl Default for Admin {
    fn default() -> Self {
        Self {
            uuid: String::new(),
            roleid: 1,
            username: String::new(),
            firstname: String::new(),
            lastname: String::new(),
            email: String::new(),
            signature: String::new(),
            notes: String::new(),
            template: "blend".into(),
            language: "english".into(),
            disabled: false,
            login_attempts: 0,
            departments: Vec::new(),
            ticket_notifications: Vec::new(),
            created_at: calendar::installed(),
            updated_at: calendar::installed(),
        }
    }
}

impl Admin {
    /// First and last name.
    pub(crate) fn full_name(&self) -> String {
        format!("{} {}", self.firstname, self.lastname)
            .trim()
            .to_string()
    }
}

/// A sign-in to the admin area.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Session {
    pub(crate) adminid: i64,
    pub(crate) logintime: DateTime,
    /// The latest page load.
    pub(crate) lastvisit: DateTime,
    pub(crate) ipaddress: String,
    /// When the admin signed out, if they did.
    pub(crate) logouttime: Option<DateTime>,
}

impl Default for Session {
    fn default() -> Self {
        Self {
            adminid: API_ADMIN,
            logintime: calendar::installed(),
            lastvisit: calendar::installed(),
            ipaddress: "127.0.0.1".into(),
            logouttime: None,
        }
    }
}

impl Default for Admins {
    /// A fresh installation: WHMCS's three roles and admin 1, a full administrator in the
    /// Support department.
    fn default() -> Self {
        let mut roles = Table::default();
        let all: Vec<String> = PERMISSIONS.iter().map(|p| p.to_string()).collect();
        let some = |names: &[&str]| -> Vec<String> {
            PERMISSIONS
                .iter()
                .filter(|p| names.iter().any(|n| p.contains(n)))
                .map(|p| p.to_string())
                .collect()
        };
        roles.insert(Role {
            name: "Full Administrator".into(),
            permissions: all,
        });
        roles.insert(Role {
            name: "Sales Operator".into(),
            permissions: some(&["Homepage", "My Account", "Client", "Order", "Invoice"]),
        });
        roles.insert(Role {
            name: "Support Operator".into(),
            permissions: some(&["Homepage", "My Account", "Ticket", "Support", "Predefined"]),
        });
        let mut admins = Table::default();
        admins.insert(Admin {
            uuid: "00000000-0000-4000-8000-000000000001".into(),
            username: "admin".into(),
            firstname: "Site".into(),
            lastname: "Admin".into(),
            email: "admin@example.com".into(),
            notes: "Welcome to WHMCS! Set up the cron job to automate tasks.".into(),
            departments: vec![1],
            ticket_notifications: vec![1],
            ..Admin::default()
        });
        Self {
            roles,
            admins,
            sessions: Vec::new(),
        }
    }
}

impl Admins {
    /// Whether admin (or role) `id` exists; `None` for kinds kept elsewhere.
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "admin" => Some(self.admins.contains(id)),
            "admin_role" | "role" => Some(self.roles.contains(id)),
            _ => None,
        }
    }

    /// The admin with this username (any case).
    pub(crate) fn by_username(&self, username: &str) -> Option<(i64, &Admin)> {
        self.admins
            .iter()
            .find(|(_, a)| a.username.eq_ignore_ascii_case(username))
    }

    /// The full name of admin `id`, if there is one.
    pub(crate) fn name(&self, id: i64) -> Option<String> {
        self.admins.get(id).map(Admin::full_name)
    }

    /// The support departments the API admin works in; `None` when that admin is gone, which
    /// the mock reads as every department.
    pub(crate) fn api_departments(&self) -> Option<&[i64]> {
        self.admins.get(API_ADMIN).map(|a| a.departments.as_slice())
    }

    /// Sessions still signed in that loaded a page in the last quarter hour.
    pub(crate) fn online(&self, now: DateTime) -> impl Iterator<Item = &Session> {
        let since = calendar::unix(now) - ONLINE_WINDOW;
        self.sessions.iter().filter(move |s| {
            s.logouttime.is_none()
                && calendar::unix(s.lastvisit) >= since
                && s.lastvisit <= now
                && self.admins.get(s.adminid).is_some_and(|a| !a.disabled)
        })
    }
}

/// Registers the admin actions' handlers.
pub(crate) fn register(r: &mut Registry) {
    r.read::<GetAdminDetails>(get_admin_details);
    r.read::<GetAdminUsers>(get_admin_users);
    r.on::<UpdateAdminNotes>(update_admin_notes);
    r.read::<GetStaffOnline>(get_staff_online);
}

/// The permission names of a role, comma-joined.
fn permissions(w: &State, roleid: i64) -> String {
    w.admins
        .roles
        .get(roleid)
        .map(|r| r.permissions.join(","))
        .unwrap_or_default()
}

/// The API admin: name, notes, signature, its role's permissions, departments, version.
fn get_admin_details(
    w: &State,
    _: GetAdminDetails,
) -> Result<GetAdminDetailsResponse, GetAdminDetailsError> {
    let admin = w.admins.admins.get(API_ADMIN);
    let departments = admin.map(|a| {
        let ids: Vec<String> = a.departments.iter().map(i64::to_string).collect();
        format!(",{},", ids.join(","))
    });
    Ok(GetAdminDetailsResponse {
        adminid: Some(API_ADMIN),
        name: admin.map(Admin::full_name),
        notes: admin.map(|a| a.notes.clone()),
        signature: admin.map(|a| a.signature.clone()),
        allowedpermissions: admin.map(|a| permissions(w, a.roleid)),
        departments,
        whmcs: Some(super::system::version(w)),
        requesttime: Some(w.now.to_string()),
        ..Default::default()
    })
}

/// The hex MD5 of an address, trimmed and in lower case, as Gravatar wants it.
fn gravatar(email: &str) -> String {
    Md5::digest(email.trim().to_lowercase().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Admin accounts by role and address (any part, any case); disabled ones only when asked.
fn get_admin_users(
    w: &State,
    r: GetAdminUsers,
) -> Result<GetAdminUsersResponse, GetAdminUsersError> {
    let email = r.email.as_deref().map(str::to_lowercase);
    let admin_users: Vec<get_admin_users::AdminUser> = w
        .admins
        .admins
        .iter()
        .filter(|(_, a)| r.roleid.is_none_or(|role| role == a.roleid))
        .filter(|(_, a)| {
            email
                .as_ref()
                .is_none_or(|e| a.email.to_lowercase().contains(e.as_str()))
        })
        .filter(|(_, a)| r.include_disabled.unwrap_or(false) || !a.disabled)
        .map(|(id, a)| get_admin_users::AdminUser {
            id: Some(id),
            uuid: Some(a.uuid.clone()),
            role_id: Some(a.roleid),
            username: Some(a.username.clone()),
            two_factor_auth_module: Some(String::new()),
            firstname: Some(a.firstname.clone()),
            lastname: Some(a.lastname.clone()),
            email: Some(a.email.clone()),
            signature: Some(a.signature.clone()),
            notes: Some(a.notes.clone()),
            template: Some(a.template.clone()),
            language: Some(a.language.clone()),
            is_disabled: Some(a.disabled),
            login_attempts: Some(a.login_attempts),
            support_department_ids: a.departments.clone(),
            receives_ticket_notifications: a.ticket_notifications.clone(),
            homepage_widgets_config: Some(String::new()),
            hidden_homepage_widgets: Some(String::new()),
            created_at: Some(a.created_at),
            updated_at: Some(a.updated_at),
            full_name: Some(a.full_name()),
            gravatar_hash: Some(gravatar(&a.email)),
            ..Default::default()
        })
        .collect();
    Ok(GetAdminUsersResponse {
        count: Some(admin_users.len() as i64),
        admin_users,
        ..Default::default()
    })
}

/// Replaces the API admin's notes.
fn update_admin_notes(
    w: &mut State,
    r: UpdateAdminNotes,
) -> Result<UpdateAdminNotesResponse, UpdateAdminNotesError> {
    let now = w.now;
    if let Some(a) = w.admins.admins.get_mut(API_ADMIN) {
        a.notes = r.notes;
        a.updated_at = now;
    }
    w.log(0, format!("Admin Notes Updated - Admin ID: {API_ADMIN}"));
    Ok(UpdateAdminNotesResponse::default())
}

/// The sessions signed in that loaded a page in the last quarter hour.
fn get_staff_online(
    w: &State,
    _: GetStaffOnline,
) -> Result<GetStaffOnlineResponse, GetStaffOnlineError> {
    let staffonline: Vec<get_staff_online::OnlineStaff> = w
        .admins
        .online(w.now)
        .map(|s| get_staff_online::OnlineStaff {
            adminusername: w.admins.admins.get(s.adminid).map(|a| a.username.clone()),
            logintime: Some(s.logintime),
            ipaddress: Some(s.ipaddress.clone()),
            lastvisit: Some(s.lastvisit),
            ..Default::default()
        })
        .collect();
    Ok(GetStaffOnlineResponse {
        totalresults: Some(staffonline.len() as i64),
        staffonline,
        ..Default::default()
    })
}
