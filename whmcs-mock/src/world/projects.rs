//! The Project Management addon: projects, their tasks, the time tracked on tasks, and each
//! project's message thread. Every change to a project, its tasks, timers or messages moves its
//! `lastmodified`.

use serde::{Deserialize, Serialize};
use whmcs_api::actions::project_management::{get_project, get_projects};
use whmcs_api::actions::{
    AddProjectMessage, AddProjectMessageError, AddProjectMessageResponse, AddProjectTask,
    AddProjectTaskError, AddProjectTaskResponse, CreateProject, CreateProjectError,
    CreateProjectResponse, DeleteProjectTask, DeleteProjectTaskError, DeleteProjectTaskResponse,
    EndTaskTimer, EndTaskTimerError, EndTaskTimerResponse, GetProject, GetProjectError,
    GetProjectResponse, GetProjects, GetProjectsError, GetProjectsResponse, StartTaskTimer,
    StartTaskTimerError, StartTaskTimerResponse, UpdateProject, UpdateProjectError,
    UpdateProjectResponse, UpdateProjectTask, UpdateProjectTaskError, UpdateProjectTaskResponse,
};
use whmcs_api::{Date, DateTime};

use super::API_ADMIN;
use super::registry::Registry;
use super::{State, Table, calendar, page};

/// The project tables.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Projects {
    /// Whether the Project Management addon is activated (it is in the mock's installation).
    pub(crate) active: bool,
    /// The statuses configured in the addon's settings; a new project gets the first.
    pub(crate) statuses: Vec<String>,
    pub(crate) projects: Table<Project>,
    pub(crate) tasks: Table<Task>,
    pub(crate) timers: Table<Timer>,
    pub(crate) messages: Table<Message>,
}

impl Default for Projects {
    fn default() -> Self {
        Self {
            active: true,
            statuses: ["Pending", "In Progress", "Awaiting Feedback", "Completed"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            projects: Table::default(),
            tasks: Table::default(),
            timers: Table::default(),
            messages: Table::default(),
        }
    }
}

/// A project.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Project {
    /// The client it is for (0 for none).
    pub(crate) userid: i64,
    pub(crate) title: String,
    /// Linked tickets and invoices, ids joined by commas.
    pub(crate) ticketids: String,
    pub(crate) invoiceids: String,
    pub(crate) notes: String,
    /// The admin who owns it.
    pub(crate) adminid: i64,
    pub(crate) status: String,
    pub(crate) created: Date,
    pub(crate) duedate: Option<Date>,
    pub(crate) completed: bool,
    pub(crate) lastmodified: DateTime,
}

impl Default for Project {
    fn default() -> Self {
        Self {
            userid: 0,
            title: String::new(),
            ticketids: String::new(),
            invoiceids: String::new(),
            notes: String::new(),
            adminid: API_ADMIN,
            status: "Pending".into(),
            created: calendar::installed().date(),
            duedate: None,
            completed: false,
            lastmodified: calendar::installed(),
        }
    }
}

/// A task of a project.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Task {
    pub(crate) projectid: i64,
    pub(crate) task: String,
    pub(crate) notes: String,
    /// The admin it is assigned to (0 for none).
    pub(crate) adminid: i64,
    pub(crate) created: DateTime,
    pub(crate) duedate: Option<Date>,
    pub(crate) completed: bool,
    pub(crate) billed: bool,
    /// Its position in the project's task list, from 1.
    pub(crate) order: i64,
}

/// Time tracked on a task.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Timer {
    pub(crate) projectid: i64,
    pub(crate) taskid: i64,
    pub(crate) adminid: i64,
    /// Start and stop, Unix seconds; a running timer has no stop.
    pub(crate) start: i64,
    pub(crate) end: Option<i64>,
    pub(crate) donotbill: bool,
}

/// A post in a project's thread.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Message {
    pub(crate) projectid: i64,
    pub(crate) date: DateTime,
    pub(crate) message: String,
    pub(crate) adminid: i64,
}

impl Projects {
    /// Whether project, task, timer or message `id` exists; `None` for kinds kept elsewhere.
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "project" => Some(self.projects.contains(id)),
            "task" | "project_task" => Some(self.tasks.contains(id)),
            "timer" => Some(self.timers.contains(id)),
            "project_message" => Some(self.messages.contains(id)),
            _ => None,
        }
    }

    /// Marks project `id` as changed now.
    fn touch(&mut self, id: i64, now: DateTime) {
        if let Some(p) = self.projects.get_mut(id) {
            p.lastmodified = now;
        }
    }

    /// A deleted client's projects stay, no longer tied to anyone (for DeleteClient to call).
    pub(crate) fn forget_client(&mut self, client: i64) {
        for (_, p) in self.projects.iter_mut() {
            if p.userid == client {
                p.userid = 0;
            }
        }
    }
}

/// Registers the project management actions' handlers.
pub(crate) fn register(r: &mut Registry) {
    r.on::<CreateProject>(create_project);
    r.read::<GetProject>(get_project);
    r.read::<GetProjects>(get_projects);
    r.on::<UpdateProject>(update_project);
    r.on::<AddProjectTask>(add_project_task);
    r.on::<UpdateProjectTask>(update_project_task);
    r.on::<DeleteProjectTask>(delete_project_task);
    r.on::<StartTaskTimer>(start_task_timer);
    r.on::<EndTaskTimer>(end_task_timer);
    r.on::<AddProjectMessage>(add_project_message);
}

/// A comma-joined list of ids, spaces and empty entries dropped.
fn id_list(text: &str) -> String {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(",")
}

/// Creates a project, in the addon's first status unless one is given.
fn create_project(
    w: &mut State,
    r: CreateProject,
) -> Result<CreateProjectResponse, CreateProjectError> {
    if !w.projects.active {
        return Err(CreateProjectError::ProjectManagementInactive);
    }
    if r.title.trim().is_empty() {
        return Err(CreateProjectError::TitleRequired);
    }
    let status = r
        .status
        .or_else(|| w.projects.statuses.first().cloned())
        .unwrap_or_default();
    let id = w.projects.projects.insert(Project {
        userid: r.userid.unwrap_or(0),
        title: r.title,
        ticketids: r.ticketids.as_deref().map(id_list).unwrap_or_default(),
        invoiceids: r.invoiceids.as_deref().map(id_list).unwrap_or_default(),
        notes: String::new(),
        adminid: r.adminid,
        status,
        created: r.created.unwrap_or_else(|| w.today()),
        duedate: r.duedate,
        completed: r.completed.unwrap_or(false),
        lastmodified: w.now,
    });
    let client = r.userid.unwrap_or(0);
    w.log(client, format!("Project Created - Project ID: {id}"));
    Ok(CreateProjectResponse {
        message: Some("Project has been created".into()),
        projectid: id,
        ..Default::default()
    })
}

/// A project's list row.
fn project_row(id: i64, p: &Project) -> get_projects::ProjectEntry {
    get_projects::ProjectEntry {
        id: Some(id),
        userid: Some(p.userid),
        title: Some(p.title.clone()),
        ticketids: Some(p.ticketids.clone()),
        invoiceids: Some(p.invoiceids.clone()),
        notes: Some(p.notes.clone()),
        adminid: Some(p.adminid),
        status: Some(p.status.clone()),
        created: Some(p.created),
        duedate: p.duedate,
        completed: Some(p.completed),
        lastmodified: Some(p.lastmodified),
        watchers: Some(String::new()),
        ..Default::default()
    }
}

/// A project with its tasks (in list order, each with its time logs) and its messages.
fn get_project(w: &State, r: GetProject) -> Result<GetProjectResponse, GetProjectError> {
    let p = w
        .projects
        .projects
        .get(r.projectid)
        .ok_or(GetProjectError::ProjectNotFound)?;
    let mut tasks: Vec<(i64, &Task)> = w
        .projects
        .tasks
        .iter()
        .filter(|(_, t)| t.projectid == r.projectid)
        .collect();
    tasks.sort_by_key(|(id, t)| (t.order, *id));
    let tasks = tasks
        .into_iter()
        .map(|(id, t)| get_project::ProjectTask {
            id: Some(id),
            projectid: Some(t.projectid),
            task: Some(t.task.clone()),
            notes: Some(t.notes.clone()),
            adminid: Some(t.adminid),
            created: Some(t.created),
            duedate: t.duedate,
            completed: Some(t.completed),
            billed: Some(t.billed),
            order: Some(t.order),
            timelogs: w
                .projects
                .timers
                .iter()
                .filter(|(_, tm)| tm.taskid == id)
                .map(|(tid, tm)| get_project::TaskTimeLog {
                    id: Some(tid),
                    projectid: Some(tm.projectid),
                    taskid: Some(tm.taskid),
                    adminid: Some(tm.adminid),
                    start: Some(tm.start),
                    end: Some(tm.end.unwrap_or(0)),
                    donotbill: Some(tm.donotbill),
                    starttime: calendar::from_unix(tm.start),
                    endtime: tm.end.and_then(calendar::from_unix),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        })
        .collect();
    let messages = w
        .projects
        .messages
        .iter()
        .filter(|(_, m)| m.projectid == r.projectid)
        .map(|(id, m)| get_project::ProjectMessage {
            id: Some(id),
            projectid: Some(m.projectid),
            date: Some(m.date),
            message: Some(m.message.clone()),
            attachments: Some(String::new()),
            adminid: Some(m.adminid),
            ..Default::default()
        })
        .collect();
    Ok(GetProjectResponse {
        projectinfo: Some(get_project::ProjectDetails {
            id: Some(r.projectid),
            userid: Some(p.userid),
            title: Some(p.title.clone()),
            attachments: Some(String::new()),
            ticketids: Some(p.ticketids.clone()),
            invoiceids: Some(p.invoiceids.clone()),
            notes: Some(p.notes.clone()),
            adminid: Some(p.adminid),
            status: Some(p.status.clone()),
            created: Some(p.created),
            duedate: p.duedate,
            completed: Some(p.completed),
            lastmodified: Some(p.lastmodified),
            ..Default::default()
        }),
        tasks,
        messages,
        ..Default::default()
    })
}

/// Whether `have` matches the filter `want` (text compared without regard to case or the
/// spaces around it).
fn same(want: Option<&str>, have: &str) -> bool {
    want.is_none_or(|w| w.trim().eq_ignore_ascii_case(have.trim()))
}

/// Projects matching every filter given, in id order.
fn get_projects(w: &State, r: GetProjects) -> Result<GetProjectsResponse, GetProjectsError> {
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows: Vec<get_projects::ProjectEntry> = w
        .projects
        .projects
        .iter()
        .filter(|(_, p)| r.userid.is_none_or(|u| u == p.userid))
        .filter(|(_, p)| r.adminid.is_none_or(|a| a == p.adminid))
        .filter(|(_, p)| r.completed.is_none_or(|c| c == p.completed))
        .filter(|(_, p)| same(r.title.as_deref(), &p.title))
        .filter(|(_, p)| same(r.status.as_deref(), &p.status))
        .filter(|(_, p)| same(r.notes.as_deref(), &p.notes))
        .filter(|(_, p)| {
            same(r.ticketids.as_deref().map(id_list).as_deref(), &p.ticketids)
                && same(
                    r.invoiceids.as_deref().map(id_list).as_deref(),
                    &p.invoiceids,
                )
        })
        .filter(|(_, p)| same(r.created.as_deref(), &p.created.to_string()))
        .filter(|(_, p)| same(r.duedate.as_deref(), &date(p.duedate)))
        .filter(|(_, p)| {
            r.lastmodified
                .as_deref()
                .is_none_or(|l| p.lastmodified.to_string().starts_with(l.trim()))
        })
        .map(|(id, p)| project_row(id, p))
        .collect();
    let (total, start, projects) = page(rows, r.limitstart, r.limitnum);
    Ok(GetProjectsResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(projects.len() as i64),
        projects,
        ..Default::default()
    })
}

/// Changes the fields given of a project.
fn update_project(
    w: &mut State,
    r: UpdateProject,
) -> Result<UpdateProjectResponse, UpdateProjectError> {
    let now = w.now;
    let p = w
        .projects
        .projects
        .get_mut(r.projectid)
        .ok_or(UpdateProjectError::ProjectNotFound)?;
    if let Some(v) = r.title.filter(|t| !t.trim().is_empty()) {
        p.title = v;
    }
    if let Some(v) = r.adminid {
        p.adminid = v;
    }
    if let Some(v) = r.userid {
        p.userid = v;
    }
    if let Some(v) = r.status {
        p.status = v;
    }
    if let Some(v) = r.created {
        p.created = v;
    }
    if let Some(v) = r.duedate {
        p.duedate = Some(v);
    }
    if let Some(v) = r.completed {
        p.completed = v;
    }
    if let Some(v) = r.ticketids {
        p.ticketids = id_list(&v);
    }
    if let Some(v) = r.invoiceids {
        p.invoiceids = id_list(&v);
    }
    if let Some(v) = r.notes {
        p.notes = v;
    }
    p.lastmodified = now;
    let client = p.userid;
    w.log(
        client,
        format!("Project Modified - Project ID: {}", r.projectid),
    );
    Ok(UpdateProjectResponse {
        message: Some("Project Has Been Updated".into()),
        ..Default::default()
    })
}

/// The position after a project's last task.
fn next_order(w: &State, projectid: i64) -> i64 {
    w.projects
        .tasks
        .iter()
        .filter(|(_, t)| t.projectid == projectid)
        .map(|(_, t)| t.order)
        .max()
        .unwrap_or(0)
        + 1
}

/// Adds a task at the end of a project's list.
fn add_project_task(
    w: &mut State,
    r: AddProjectTask,
) -> Result<AddProjectTaskResponse, AddProjectTaskError> {
    if !w.projects.projects.contains(r.projectid) {
        return Err(AddProjectTaskError::ProjectNotFound);
    }
    let task = r
        .task
        .filter(|t| !t.trim().is_empty())
        .ok_or(AddProjectTaskError::TaskDescriptionRequired)?;
    let order = next_order(w, r.projectid);
    let id = w.projects.tasks.insert(Task {
        projectid: r.projectid,
        task,
        notes: r.notes.unwrap_or_default(),
        adminid: r.adminid.unwrap_or(0),
        created: w.now,
        duedate: Some(r.duedate),
        completed: r.completed.unwrap_or(false),
        billed: r.billed.unwrap_or(false),
        order,
    });
    let now = w.now;
    w.projects.touch(r.projectid, now);
    w.log(
        0,
        format!(
            "Project Task Added - Project ID: {} - Task ID: {id}",
            r.projectid
        ),
    );
    Ok(AddProjectTaskResponse {
        message: Some("Task has been added".into()),
        ..Default::default()
    })
}

/// Changes the fields given of a task; a new `projectid` moves it (and its time) to the
/// end of that project's list.
fn update_project_task(
    w: &mut State,
    r: UpdateProjectTask,
) -> Result<UpdateProjectTaskResponse, UpdateProjectTaskError> {
    let now = w.now;
    let moved_to = r.projectid.filter(|p| {
        w.projects
            .tasks
            .get(r.taskid)
            .is_some_and(|t| t.projectid != *p)
    });
    let order = moved_to.map(|p| next_order(w, p));
    let t = w
        .projects
        .tasks
        .get_mut(r.taskid)
        .ok_or(UpdateProjectTaskError::TaskNotFound)?;
    let before = t.projectid;
    if let (Some(p), Some(o)) = (moved_to, order) {
        t.projectid = p;
        t.order = o;
    }
    if let Some(v) = r.duedate {
        t.duedate = Some(v);
    }
    if let Some(v) = r.task.filter(|v| !v.trim().is_empty()) {
        t.task = v;
    }
    if let Some(v) = r.adminid {
        t.adminid = v;
    }
    if let Some(v) = r.notes {
        t.notes = v;
    }
    if let Some(v) = r.completed {
        t.completed = v;
    }
    let after = t.projectid;
    if let Some(p) = moved_to {
        for (_, tm) in w.projects.timers.iter_mut() {
            if tm.taskid == r.taskid {
                tm.projectid = p;
            }
        }
    }
    w.projects.touch(before, now);
    w.projects.touch(after, now);
    w.log(0, format!("Project Task Modified - Task ID: {}", r.taskid));
    Ok(UpdateProjectTaskResponse {
        message: Some("Task has been updated".into()),
        ..Default::default()
    })
}

/// Removes a task of the project, with the time tracked on it.
fn delete_project_task(
    w: &mut State,
    r: DeleteProjectTask,
) -> Result<DeleteProjectTaskResponse, DeleteProjectTaskError> {
    if !w.projects.projects.contains(r.projectid) {
        return Err(DeleteProjectTaskError::ProjectNotFound);
    }
    if w.projects
        .tasks
        .get(r.taskid)
        .is_none_or(|t| t.projectid != r.projectid)
    {
        return Err(DeleteProjectTaskError::TaskNotFound);
    }
    w.projects.tasks.remove(r.taskid);
    w.projects.timers.retain(|_, tm| tm.taskid != r.taskid);
    let now = w.now;
    w.projects.touch(r.projectid, now);
    w.log(
        0,
        format!(
            "Project Task Deleted - Project ID: {} - Task ID: {}",
            r.projectid, r.taskid
        ),
    );
    Ok(DeleteProjectTaskResponse {
        message: Some("Task has been deleted".into()),
        ..Default::default()
    })
}

/// Starts tracking time on task `timerid` of the project (the reference names the task so).
fn start_task_timer(
    w: &mut State,
    r: StartTaskTimer,
) -> Result<StartTaskTimerResponse, StartTaskTimerError> {
    if !w.projects.projects.contains(r.projectid) {
        return Err(StartTaskTimerError::ProjectNotFound);
    }
    let task = r.timerid;
    if w.projects
        .tasks
        .get(task)
        .is_none_or(|t| t.projectid != r.projectid)
    {
        return Err(StartTaskTimerError::TimerNotFound);
    }
    let now = calendar::unix(w.now);
    let id = w.projects.timers.insert(Timer {
        projectid: r.projectid,
        taskid: task,
        adminid: r.adminid.unwrap_or(API_ADMIN),
        start: r.start_time.unwrap_or(now),
        end: r.end_time,
        donotbill: false,
    });
    let at = w.now;
    w.projects.touch(r.projectid, at);
    w.log(
        0,
        format!("Task Timer Started - Task ID: {task} - Timer ID: {id}"),
    );
    Ok(StartTaskTimerResponse {
        message: Some("Start Timer Has Been Set".into()),
        ..Default::default()
    })
}

/// Stops timer `timerid` (of the project, when one is given).
fn end_task_timer(
    w: &mut State,
    r: EndTaskTimer,
) -> Result<EndTaskTimerResponse, EndTaskTimerError> {
    let now = calendar::unix(w.now);
    let tm = w
        .projects
        .timers
        .get_mut(r.timerid)
        .filter(|tm| r.projectid.is_none_or(|p| p == tm.projectid))
        .ok_or(EndTaskTimerError::TimerNotFound)?;
    tm.end = Some(r.end_time.unwrap_or(now));
    if let Some(a) = r.adminid {
        tm.adminid = a;
    }
    let project = tm.projectid;
    let at = w.now;
    w.projects.touch(project, at);
    w.log(0, format!("Task Timer Ended - Timer ID: {}", r.timerid));
    Ok(EndTaskTimerResponse {
        message: Some("Timer Has Ended".into()),
        ..Default::default()
    })
}

/// Posts to a project's thread, as the API admin unless another is named.
fn add_project_message(
    w: &mut State,
    r: AddProjectMessage,
) -> Result<AddProjectMessageResponse, AddProjectMessageError> {
    if !w.projects.projects.contains(r.projectid) {
        return Err(AddProjectMessageError::ProjectNotFound);
    }
    if r.message.trim().is_empty() {
        return Err(AddProjectMessageError::MessageNotEntered);
    }
    let id = w.projects.messages.insert(Message {
        projectid: r.projectid,
        date: w.now,
        message: r.message,
        adminid: r.adminid.unwrap_or(API_ADMIN),
    });
    let now = w.now;
    w.projects.touch(r.projectid, now);
    w.log(
        0,
        format!(
            "Project Message Added - Project ID: {} - Message ID: {id}",
            r.projectid
        ),
    );
    Ok(AddProjectMessageResponse {
        message: Some("Message has been added".into()),
        ..Default::default()
    })
}
