//! SSO Console desktop shell: opens the workspace, registers the commands and starts the window.
//! Everything the product knows lives in the `sso-console` core crate.

mod commands;
mod error;
mod snapshot;
mod startup;

pub use commands::about::LogFile;
pub use commands::dialog::DIALOG_PATH_ENV;
pub use error::CommandError;

use std::path::PathBuf;
use std::process::ExitCode;

use commands::cancel::{self, CancelSlot};
use snapshot::{ListSnapshot, Markup};
use sso_console::http::HttpClient;
use sso_console::workspace::{self, DirectorySummary, Workspace};
use startup::StartupError;
use tauri::{Manager, Runtime};

/// The label of the main window in tauri.conf.json.
const MAIN_WINDOW: &str = "main";

/// Starts logging, runs the app until its last window closes, and reports a failure to start
/// in a dialog and the log.
pub fn main() -> ExitCode {
    // Before logging or Tauri start any thread (see the functions).
    sso_console::expiry::read_local_offset();
    #[cfg(target_os = "linux")]
    web_view_without_jit();
    let log_file = sso_console::logging::init_with_file(
        "info",
        sso_console::logging::default_log_dir().as_deref(),
    );
    startup::log_panics();
    tracing::info!(version = %sso_console::VERSION_LINE, "SSO Console starting");
    match run(LogFile(log_file.clone())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            startup::report(&e, log_file.as_deref());
            ExitCode::FAILURE
        }
    }
}

/// Turns off the JavaScript JIT compilers of the page's engine. The page is a small interface
/// whose work runs in the core: compiling its scripts to machine code saves it nothing a person
/// could notice, while the compilers cost about 11 MiB at start (benches/startup.sh) and are a
/// large part of the engine's attack surface. WebKitGTK's engine reads the switch from the
/// environment of the web process it starts, so it is set here, while the process has a single
/// thread and before the window exists; the browser and file manager the app starts do not
/// inherit it. A value the person set themselves is left alone.
#[cfg(target_os = "linux")]
fn web_view_without_jit() {
    const JIT_SWITCH: &str = "JSC_useJIT";
    if std::env::var_os(JIT_SWITCH).is_none() {
        std::env::set_var(JIT_SWITCH, "0");
        sso_console::browser::keep_from_children(vec![JIT_SWITCH]);
    }
}

/// Builds and runs the desktop app until its last window closes.
fn run(log_file: LogFile) -> Result<(), StartupError> {
    if !startup::has_display() {
        return Err(StartupError::no_display());
    }
    // The core starts on its own thread while the toolkit starts on this one: TLS's roots, the
    // database and the list's first page take about 10 ms, the toolkit about ten times as long.
    let core = std::thread::spawn(Core::open);
    let context = context();
    // The page as built: its file names follow the content of the bundle's scripts and styles.
    let page = context
        .assets()
        .get(&"index.html".into())
        .map(|page| page.into_owned())
        .unwrap_or_default();
    let app = builder(tauri::Builder::default(), log_file).build(context);
    // Waited for even when the toolkit failed: the process does not end while the core may be
    // writing to the database.
    let core = core
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let (app, core) = (app?, core?);
    let boot_data = core.first_page.as_deref().map(boot_data);
    let snapshot = ListSnapshot::open(&core.data_dir, &page, boot_data.as_deref());
    let script = boot_data.map(|data| boot_script(&data, snapshot.markup().as_ref()));
    app.manage(snapshot);
    manage_core(&app, core.ws, core.http);
    open_main_window(&app, script)?;
    app.run(|_, _| {});
    Ok(())
}

/// What the app needs from the core before its window opens.
struct Core {
    data_dir: PathBuf,
    ws: Workspace,
    http: HttpClient,
    /// The list's first page, or None when it could not be read.
    first_page: Option<Vec<DirectorySummary>>,
}

impl Core {
    fn open() -> Result<Self, StartupError> {
        let http = HttpClient::standard()?;
        let data_dir = workspace::default_data_dir()?;
        let ws = tauri::async_runtime::block_on(Workspace::open(&data_dir))?;
        tracing::info!(data_dir = %data_dir.display(), "workspace opened");
        // The list's first page goes to the page with its scripts, saving a round trip at
        // start. Should it fail, the page asks for it as usual and shows the error there.
        let first_page = tauri::async_runtime::block_on(ws.list(""))
            .inspect_err(
                |e| tracing::warn!(error = %e, "the directory list could not be read at start"),
            )
            .ok();
        Ok(Self {
            data_dir,
            ws,
            http,
            first_page,
        })
    }
}

/// Opens the main window of tauri.conf.json, with the boot script when there is one.
fn open_main_window<R: Runtime>(
    app: &tauri::App<R>,
    boot_script: Option<String>,
) -> Result<(), StartupError> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
        .cloned()
        .ok_or_else(|| StartupError::incomplete_build("its configuration has no main window"))?;
    let mut window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?;
    if let Some(script) = boot_script {
        window = window.initialization_script(script);
    }
    window.build()?;
    Ok(())
}

/// Gives the commands the core's state. `run` does it once the app is built; the tests do it on
/// Tauri's mock runtime.
pub fn manage_core<R: Runtime>(app: &impl Manager<R>, ws: Workspace, http: HttpClient) {
    app.manage(ws);
    app.manage(http);
}

/// The app without its window and the core's state (`manage_core`): the commands and the state
/// of their own. `run` builds it on the real runtime and opens the window; the tests build it on
/// Tauri's mock runtime (`tauri::test::mock_builder()`) and invoke the commands as the UI does.
pub fn builder<R: Runtime>(base: tauri::Builder<R>, log_file: LogFile) -> tauri::Builder<R> {
    base.manage(log_file)
        .manage(CancelSlot::<cancel::Discovery>::default())
        .manage(CancelSlot::<cancel::CheckAll>::default())
        .manage(CancelSlot::<cancel::SignIn>::default())
        .manage(CancelSlot::<cancel::ScimCheck>::default())
        .manage(CancelSlot::<cancel::DryRun>::default())
        .manage(commands::report::LastResults::default())
        .manage(commands::bundle::ChosenBundle::default())
        // Its dialogs are opened from Rust only: no capability grants the page any of them.
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::about::app_info,
            commands::about::open_log_folder,
            commands::directories::list_directories,
            commands::directories::keep_list_snapshot,
            commands::directories::get_directory,
            commands::directories::directory_logo,
            commands::directories::new_directory_template,
            commands::directories::create_directory,
            commands::directories::update_directory,
            commands::directories::duplicate_directory,
            commands::directories::delete_directory,
            commands::directories::check_logo,
            commands::directories::get_settings,
            commands::directories::update_settings,
            commands::directories::directories_needing_attention,
            commands::directories::secret_expiry,
            commands::discovery::discover,
            commands::discovery::cancel_discovery,
            commands::discovery::check_all_directories,
            commands::discovery::cancel_check_all,
            commands::health::probe_client_secret,
            commands::health::provider_history,
            commands::health::probe_all_secrets,
            commands::signin::start_test_sign_in,
            commands::signin::cancel_test_sign_in,
            commands::mapping::simulate_route,
            commands::mapping::check_routing,
            commands::mapping::parse_claims,
            commands::mapping::evaluate_claims,
            commands::scim::list_scim_connections,
            commands::scim::get_scim_connection,
            commands::scim::new_scim_connection_template,
            commands::scim::create_scim_connection,
            commands::scim::update_scim_connection,
            commands::scim::delete_scim_connection,
            commands::scim::test_scim_connection,
            commands::scim::review_scim_endpoint,
            commands::scim::cancel_scim_check,
            commands::scim::scim_mapping_templates,
            commands::scim::scim_sample_users,
            commands::scim::scim_expression_functions,
            commands::scim::check_scim_expression,
            commands::scim::check_scim_mappings,
            commands::scim::import_scim_mappings,
            commands::scim::export_scim_mappings,
            commands::scim::preview_scim_user,
            commands::scim::run_scim_dry_run,
            commands::scim::cancel_scim_dry_run,
            commands::report::report_preview,
            commands::report::save_report,
            commands::report::open_report,
            commands::bundle::export_bundle,
            commands::bundle::choose_bundle,
            commands::bundle::plan_bundle_import,
            commands::bundle::apply_bundle_import,
            commands::setup::list_presets,
            commands::setup::start_setup,
            commands::setup::list_setups,
            commands::setup::get_setup,
            commands::setup::run_setup_discovery,
            commands::setup::confirm_setup_discovery,
            commands::setup::confirm_setup_provider,
            commands::setup::record_setup_step,
            commands::setup::save_setup_directory,
            commands::setup::discard_setup,
            commands::setup::setup_guide,
            commands::setup::save_setup_guide,
            commands::scim::scim_provisioning_guide,
        ])
}

/// The app's configuration and capabilities from tauri.conf.json and capabilities/, for any
/// runtime: the tests check the commands against the same permissions the app enforces.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// The name of the mark the boot script leaves in the page's performance timeline when it has
/// put the list's kept first frame into the page.
const SNAPSHOT_MARK: &str = "sso-console:list-snapshot";

/// The data the page gets before its scripts run, as JSON: the list, and the directories of the
/// start-up banner among them, so that the first frame shows both without a command.
fn boot_data(directories: &[DirectorySummary]) -> String {
    let attention: Vec<&DirectorySummary> = directories
        .iter()
        .filter(|d| d.in_start_up_banner())
        .collect();
    serde_json::json!({ "directories": directories, "attention": attention }).to_string()
}

/// The script that hands the page its boot data before the page's own scripts run
/// (`window.__SSO_CONSOLE_BOOT__`, each part read once by ui/src/lib/api/boot.ts). A reload of
/// the page gets nothing: by then the data of the start may be out of date.
///
/// With `markup`, the list's first frame kept at an earlier start from the same data
/// (src/snapshot.rs), the script also puts that markup into the page as soon as the page is
/// parsed, for the engine to paint while the page's scripts load, marks it busy (`aria-busy`:
/// it does nothing yet) and leaves `SNAPSHOT_MARK` in the page's performance timeline. The
/// page's scripts draw the live list in its place (ui/src/lib/startup/start.ts).
///
/// Each value goes in as a JSON string, which is a valid JavaScript string literal: serde_json
/// escapes every quote and control character in it. The data is read with `JSON.parse`, which
/// the engine reads far faster than an object literal of the same size (with 10,000
/// directories, about 60 ms against 370 ms).
fn boot_script(data: &str, markup: Option<&Markup>) -> String {
    let literal = |text: &str| serde_json::Value::String(text.to_owned()).to_string();
    let mut script = format!(
        "if (performance.getEntriesByType('navigation')[0]?.type !== 'reload') {{ \
         window.__SSO_CONSOLE_BOOT__ = Object.freeze(JSON.parse({}));",
        literal(data)
    );
    if let Some(markup) = markup {
        script.push_str(&format!(
            " document.addEventListener('readystatechange', () => {{ \
             const app = document.getElementById('app'); \
             if (document.readyState !== 'interactive' || app === null || app.firstChild !== null) return; \
             document.documentElement.className = {}; \
             app.setAttribute('aria-busy', 'true'); app.innerHTML = {}; \
             performance.mark('{SNAPSHOT_MARK}'); }});",
            literal(&markup.root_class),
            literal(&markup.html)
        ));
    }
    script.push_str(" }");
    script
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The string literal in `script` that follows `before`.
    fn literal_after(script: &str, before: &str) -> String {
        let (_, rest) = script
            .split_once(before)
            .unwrap_or_else(|| panic!("no {before} in {script}"));
        serde_json::Deserializer::from_str(rest)
            .into_iter::<String>()
            .next()
            .expect("a string literal")
            .expect("a JSON string")
    }

    /// The object the script gives the page: its string literal, read back as JSON twice.
    fn boot_object(script: &str) -> serde_json::Value {
        let json = literal_after(
            script,
            "window.__SSO_CONSOLE_BOOT__ = Object.freeze(JSON.parse(",
        );
        serde_json::from_str(&json).expect("the string is JSON")
    }

    fn boot_script_of(directories: &[DirectorySummary]) -> String {
        boot_script(&boot_data(directories), None)
    }

    #[test]
    fn the_boot_script_carries_the_list_as_a_json_string() {
        assert_eq!(
            boot_object(&boot_script_of(&[])),
            serde_json::json!({ "directories": [], "attention": [] })
        );
    }

    #[test]
    fn names_with_quotes_and_line_breaks_come_through_unchanged() {
        let name = "It's \"quoted\" \\ with\na line break, \u{2028} and </script>";
        let directories = [summary(
            name,
            serde_json::json!({ "state": "not_set" }),
            None,
        )];
        let script = boot_script_of(&directories);
        // One line of script, whatever the names hold.
        assert!(!script.contains('\n'), "{script}");
        assert_eq!(boot_object(&script)["directories"][0]["name"], name);
    }

    /// A directory as the list shows it, with its secret's expiry and its last check's status.
    fn summary(name: &str, expiry: serde_json::Value, check: Option<&str>) -> DirectorySummary {
        let last_check = check.map(|status| {
            serde_json::json!({ "at": "2026-01-02T00:00:00Z", "status": status, "problem": null })
        });
        serde_json::from_value(serde_json::json!({
            "id": format!("id-{name}"),
            "name": name,
            "is_hidden": false,
            "domain_suffixes": [],
            "has_client_secret": true,
            "secret_expiry": expiry,
            "placeholder_logo": false,
            "revision": 1,
            "health": {
                "last_check": last_check,
                "last_probe": null,
                "last_sign_in": null,
                "attention": [],
            },
        }))
        .expect("a directory summary")
    }

    #[test]
    fn the_boot_script_names_the_directories_of_the_start_up_banner() {
        let directories = [
            summary(
                "calm",
                serde_json::json!({ "state": "not_set" }),
                Some("ok"),
            ),
            summary(
                "expired",
                serde_json::json!({ "state": "expired", "days_ago": 2 }),
                None,
            ),
            summary(
                "far",
                serde_json::json!({ "state": "ok", "days_left": 40 }),
                None,
            ),
            summary(
                "failed",
                serde_json::json!({ "state": "not_set" }),
                Some("failed"),
            ),
        ];
        let boot = boot_object(&boot_script_of(&directories));
        let names = |key: &str| -> Vec<String> {
            boot[key]
                .as_array()
                .expect("a list")
                .iter()
                .map(|d| d["name"].as_str().expect("a name").to_owned())
                .collect()
        };
        assert_eq!(names("directories"), ["calm", "expired", "far", "failed"]);
        assert_eq!(names("attention"), ["expired", "failed"]);
    }

    #[test]
    fn a_kept_first_frame_goes_into_the_page_once_parsed() {
        let markup = Markup {
            root_class: "generic-font".to_owned(),
            html: "<p title=\"It's\">a\nb \u{2028} </script> ${x} `y`</p>".to_owned(),
        };
        let script = boot_script(&boot_data(&[]), Some(&markup));
        assert!(!script.contains('\n'), "{script}");
        assert_eq!(
            boot_object(&script),
            serde_json::json!({ "directories": [], "attention": [] })
        );
        assert_eq!(
            literal_after(&script, "document.documentElement.className = "),
            markup.root_class
        );
        assert_eq!(literal_after(&script, "app.innerHTML = "), markup.html);
        assert!(
            script.contains("document.readyState !== 'interactive'"),
            "{script}"
        );
        assert!(
            script.contains(&format!("performance.mark('{SNAPSHOT_MARK}')")),
            "{script}"
        );

        let without = boot_script(&boot_data(&[]), None);
        assert!(!without.contains("innerHTML"), "{without}");
    }
}
