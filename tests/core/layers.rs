//! The core's modules form layers: each top-level module uses only its own layer and those
//! below it, and no modules that share a parent use each other in a circle. The check reads
//! the `use crate::…`, `crate::…` and `super::…` paths of every file under `src/` (test code
//! left out), so a new dependency that breaks the order fails here with the files that made it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first. A module may use its own layer and the ones before it; within a
/// layer the modules must not form a cycle. `testing` (fixtures for tests) is in no layer:
/// nothing shipped may use it.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundations",
        &[
            "ids",
            "digest",
            "parallel",
            "sensitive",
            "error_kind",
            "expiry",
            "files",
            "logging",
            "browser",
            "html",
            "http",
        ],
    ),
    (
        "domain types",
        &["logo", "directory", "claims", "findings", "presets"],
    ),
    (
        "protocol logic",
        &["mapping", "routing", "discovery", "signin", "scim"],
    ),
    (
        "documents that travel: reports and bundles",
        &["report", "bundle"],
    ),
    ("storage", &["secrets", "store"]),
    ("the workspace facade", &["workspace"]),
];

/// Modules that are not part of the product's layers.
const OUTSIDE: &[&str] = &["testing"];

type Module = Vec<String>;

/// One use of a module by another: the two modules at the level where their paths part, and
/// the file and path that made it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: Module,
    to: Module,
    file: String,
    path: String,
}

#[test]
fn the_core_modules_form_layers_without_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let sources = read_modules(&src);
    let edges = edges(&sources);
    let mut problems = cycles(&edges);
    problems.extend(layer_violations(&sources, &edges));
    assert!(
        problems.is_empty(),
        "the core's modules do not form layers:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_cycle_is_found_and_named() {
    let sources = BTreeMap::from([
        (
            module("scim::preview"),
            "use super::lifecycle::tag;".to_owned(),
        ),
        (
            module("scim::lifecycle"),
            "pub fn tag() {}\nfn f() { super::preview::show(); }".to_owned(),
        ),
        (
            module("scim"),
            "pub mod lifecycle;\npub mod preview;".to_owned(),
        ),
    ]);
    let found = cycles(&edges(&sources));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("scim::lifecycle -> scim::preview -> scim::lifecycle"),
        "{}",
        found[0]
    );
}

#[test]
fn a_use_of_a_higher_layer_is_refused() {
    let sources = BTreeMap::from([
        (module("store"), String::new()),
        (
            module("directory"),
            "use crate::{expiry, store::{self, StoreError}};".to_owned(),
        ),
        (module("expiry"), String::new()),
    ]);
    let found = layer_violations(&sources, &edges(&sources));
    assert!(
        found
            .iter()
            .any(|p| p.contains("directory (domain types) uses store (storage)")),
        "{found:?}"
    );
}

#[test]
fn test_code_is_left_out() {
    let text = "use crate::a;\n#[cfg(test)]\nuse crate::testing::png;\n\
                #[cfg(test)]\nmod tests {\n    use crate::b;\n}\nfn f() { crate::c::g(); }\n";
    let kept = without_test_code(text);
    assert!(kept.contains("crate::a") && kept.contains("crate::c"));
    assert!(
        !kept.contains("testing") && !kept.contains("crate::b"),
        "{kept}"
    );
}

fn module(path: &str) -> Module {
    path.split("::").map(str::to_owned).collect()
}

fn name(module: &[String]) -> String {
    module.join("::")
}

/// Every module's source, test code removed, by module path (`scim::expression::parser`).
fn read_modules(src: &Path) -> BTreeMap<Module, String> {
    let mut modules = BTreeMap::new();
    let mut pending = vec![src.to_path_buf()];
    // A bounded walk: the tree has a few dozen folders.
    for _ in 0..10_000 {
        let Some(dir) = pending.pop() else { break };
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(src).unwrap();
            if relative.starts_with("bin") {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let mut parts: Module = relative
                .with_extension("")
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                parts.pop();
            }
            if parts.iter().any(|p| p == "tests") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            modules.insert(parts, without_test_code(&text));
        }
    }
    assert!(
        pending.is_empty(),
        "the source tree is deeper than expected"
    );
    modules
}

/// The text without comments and without items marked `#[cfg(test)]`. Relies on rustfmt's
/// layout: a top-level item that is not one line ends at the first line that is just `}`.
fn without_test_code(text: &str) -> String {
    let mut kept = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed == "#[cfg(test)]" {
            if let Some(item) = lines.next() {
                if !item.trim_end().ends_with(';') {
                    for rest in lines.by_ref() {
                        if rest == "}" {
                            break;
                        }
                    }
                }
            }
            continue;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    kept
}

/// Expands a use tree (`crate::a::{b, c::{d, self}}`) into its paths.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.split_whitespace().collect();
    let Some(open) = tree.find('{') else {
        return vec![tree.split("as").next().unwrap_or_default().to_owned()];
    };
    let (prefix, body) = (&tree[..open], &tree[open + 1..tree.len() - 1]);
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&body[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |e| format!("{prefix}{e}")))
        .collect()
}

/// The crate paths a module's text names, as written.
fn paths(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let uses = regex::Regex::new(r"\buse\s+([^;]+);").unwrap();
    for capture in uses.captures_iter(text) {
        found.extend(expand(&capture[1]));
    }
    let inline = regex::Regex::new(r"(?:^|[^:\w$])((?:crate|super)(?:::\w+)+)").unwrap();
    found.extend(inline.captures_iter(text).map(|c| c[1].to_owned()));
    found
}

/// A path as a module path from the crate root, or `None` when it names no crate module.
fn absolute(from: &[String], path: &str) -> Option<Module> {
    let mut segments = path.split("::").filter(|s| *s != "self");
    let mut resolved: Module = match segments.next()? {
        "crate" => Vec::new(),
        "super" => from[..from.len().saturating_sub(1)].to_vec(),
        _ => return None,
    };
    for segment in segments {
        if segment == "super" {
            resolved.pop();
        } else {
            resolved.push(segment.to_owned());
        }
    }
    Some(resolved)
}

/// The uses between modules, each taken at the level where the two paths part: `scim::mapping`
/// using `scim::expression::Source` is an edge `scim::mapping -> scim::expression`, and
/// `store::scim` using `scim::client` is `store -> scim`. A module's use of its own ancestors or
/// descendants is not an edge.
fn edges(sources: &BTreeMap<Module, String>) -> BTreeSet<Edge> {
    let mut edges = BTreeSet::new();
    for (from, text) in sources {
        for path in paths(text) {
            let Some(target) = absolute(from, &path) else {
                continue;
            };
            let Some(to) = (1..=target.len())
                .rev()
                .map(|k| target[..k].to_vec())
                .find(|m| sources.contains_key(m))
            else {
                continue;
            };
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common == from.len() || common == to.len() {
                continue;
            }
            edges.insert(Edge {
                from: from[..=common].to_vec(),
                to: to[..=common].to_vec(),
                file: name(from),
                path,
            });
        }
    }
    edges
}

/// Each cycle among modules that share a parent, named with one use that makes each step.
fn cycles(edges: &BTreeSet<Edge>) -> Vec<String> {
    let mut graph: BTreeMap<&Module, BTreeSet<&Module>> = BTreeMap::new();
    for edge in edges {
        graph.entry(&edge.from).or_default().insert(&edge.to);
    }
    let mut reported = BTreeSet::new();
    let mut problems = Vec::new();
    for &start in graph.keys() {
        if let Some(cycle) = cycle_through(&graph, start) {
            let members: BTreeSet<_> = cycle.iter().map(|m| name(m)).collect();
            if !reported.insert(members) {
                continue;
            }
            let steps: Vec<String> = cycle
                .windows(2)
                .map(|w| {
                    let e = edges.iter().find(|e| &e.from == w[0] && &e.to == w[1]);
                    let e = e.expect("every step of a cycle is an edge");
                    format!("  {} uses `{}`", e.file, e.path)
                })
                .collect();
            let names: Vec<_> = cycle.iter().map(|m| name(m)).collect();
            problems.push(format!(
                "cycle {}:\n{}",
                names.join(" -> "),
                steps.join("\n")
            ));
        }
    }
    problems
}

/// A shortest path from `start` back to itself, when there is one (breadth first).
fn cycle_through<'a>(
    graph: &BTreeMap<&'a Module, BTreeSet<&'a Module>>,
    start: &'a Module,
) -> Option<Vec<&'a Module>> {
    let mut came_from: BTreeMap<&Module, &Module> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        for &next in graph.get(at).into_iter().flatten() {
            if next == start {
                // Back from `at` to `start` along the search, then round to `start` again.
                let mut path = vec![at];
                while let Some(&before) = came_from.get(path[path.len() - 1]) {
                    path.push(before);
                }
                path.reverse();
                path.push(start);
                return Some(path);
            }
            if !came_from.contains_key(next) {
                came_from.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    None
}

/// Top-level modules in no layer, layers naming modules that do not exist, and uses of a
/// higher layer.
fn layer_violations(sources: &BTreeMap<Module, String>, edges: &BTreeSet<Edge>) -> Vec<String> {
    let layer_of: BTreeMap<&str, usize> = LAYERS
        .iter()
        .enumerate()
        .flat_map(|(i, (_, modules))| modules.iter().map(move |m| (*m, i)))
        .collect();
    let top: BTreeSet<&str> = sources
        .keys()
        .filter(|m| m.len() == 1)
        .map(|m| m[0].as_str())
        .collect();
    let mut problems = Vec::new();
    for module in &top {
        if !layer_of.contains_key(module) && !OUTSIDE.contains(module) {
            problems.push(format!(
                "{module} is in no layer: add it to LAYERS in this test and to docs/architecture.md"
            ));
        }
    }
    for edge in edges.iter().filter(|e| e.from.len() == 1) {
        let (from, to) = (edge.from[0].as_str(), edge.to[0].as_str());
        if OUTSIDE.contains(&to) {
            problems.push(format!(
                "{from} uses {to}, which only tests may use ({} uses `{}`)",
                edge.file, edge.path
            ));
        }
        if let (Some(&a), Some(&b)) = (layer_of.get(from), layer_of.get(to)) {
            if b > a {
                problems.push(format!(
                    "{from} ({}) uses {to} ({}), a higher layer: {} uses `{}`",
                    LAYERS[a].0, LAYERS[b].0, edge.file, edge.path
                ));
            }
        }
    }
    // Only a real tree must list every layer's modules; the small trees of the self-tests don't.
    if top.len() > 10 {
        for module in layer_of.keys().filter(|m| !top.contains(*m)) {
            problems.push(format!(
                "LAYERS names {module}, which is no module of the core"
            ));
        }
    }
    problems
}
