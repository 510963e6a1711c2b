// No console window next to the app on Windows release builds: a failure to start is shown in a
// dialog and written to the log instead (see startup.rs).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    sso_console_app::main()
}
