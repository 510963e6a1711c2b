//! HTML text: the one escape every page the console writes uses (reports, guides, the test
//! sign-in's answer page).

/// `text` as HTML text: `&`, `<`, `>`, `"` and `'` become character references, so that it is
/// safe in an element's content and in a quoted attribute alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_replaces_every_character_that_means_something_in_html() {
        assert_eq!(
            escape(r#"<a href="x" title='y'>&amp;</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
        );
        assert_eq!(escape("plain text, é ✓"), "plain text, é ✓");
        assert_eq!(escape(""), "");
    }
}
