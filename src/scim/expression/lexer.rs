//! Splits an expression into tokens, each with the character positions it came from.

use super::SyntaxError;

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// `[name]`: the name, trimmed.
    Attribute(String),
    /// `"text"` with its escapes resolved.
    Text(String),
    /// An integer literal.
    Number(i64),
    /// A function name.
    Name(String),
    /// `(`
    Open,
    /// `)`
    Close,
    /// `,`
    Comma,
    /// `=`
    Equals,
}

/// A token and where it is: `start` and `end` are 0-based character indexes, `end` exclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// Tokenises the whole text, or says where it cannot.
pub(super) fn tokenize(text: &str) -> Result<Vec<Token>, SyntaxError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' | ')' | ',' | '=' => {
                i += 1;
                let kind = match c {
                    '(' => TokenKind::Open,
                    ')' => TokenKind::Close,
                    ',' => TokenKind::Comma,
                    _ => TokenKind::Equals,
                };
                tokens.push(Token { kind, start, end: i });
            }
            '[' => {
                let (name, next) = attribute(&chars, i)?;
                i = next;
                tokens.push(Token {
                    kind: TokenKind::Attribute(name),
                    start,
                    end: i,
                });
            }
            '"' | '\u{201c}' | '\u{201d}' => {
                if c != '"' {
                    return Err(SyntaxError::at(
                        start,
                        "this is a typographic quote (“ or ”), as word processors write them; type a plain \" instead",
                    ));
                }
                let (value, next) = text_literal(&chars, i)?;
                i = next;
                tokens.push(Token {
                    kind: TokenKind::Text(value),
                    start,
                    end: i,
                });
            }
            c if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) => {
                i += 1;
                while chars.get(i).is_some_and(char::is_ascii_digit) {
                    i += 1;
                }
                let literal: String = chars[start..i].iter().collect();
                let value = literal.parse::<i64>().map_err(|_| {
                    SyntaxError::at(start, format!("the number {literal} is too large"))
                })?;
                tokens.push(Token {
                    kind: TokenKind::Number(value),
                    start,
                    end: i,
                });
            }
            c if c.is_alphabetic() || c == '_' => {
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_alphanumeric() || *c == '_')
                {
                    i += 1;
                }
                tokens.push(Token {
                    kind: TokenKind::Name(chars[start..i].iter().collect()),
                    start,
                    end: i,
                });
            }
            ']' => {
                return Err(SyntaxError::at(
                    start,
                    "a ] without its [; attribute references look like [givenName]",
                ))
            }
            other => {
                return Err(SyntaxError::at(
                    start,
                    format!("unexpected character '{other}'; expressions are made of function calls, [attribute] references, \"text\" and numbers"),
                ))
            }
        }
    }
    Ok(tokens)
}

fn attribute(chars: &[char], open: usize) -> Result<(String, usize), SyntaxError> {
    let mut i = open + 1;
    while let Some(&c) = chars.get(i) {
        match c {
            ']' => {
                let name: String = chars[open + 1..i].iter().collect();
                let name = name.trim().to_owned();
                if name.is_empty() {
                    return Err(SyntaxError::at(
                        open,
                        "empty attribute reference []; name the source attribute, as in [givenName]",
                    ));
                }
                return Ok((name, i + 1));
            }
            '[' | '"' | '\n' => break,
            _ => i += 1,
        }
    }
    Err(SyntaxError::at(
        open,
        "the attribute reference is not closed; add the ] after its name",
    ))
}

fn text_literal(chars: &[char], open: usize) -> Result<(String, usize), SyntaxError> {
    let mut value = String::new();
    let mut i = open + 1;
    while let Some(&c) = chars.get(i) {
        match c {
            '"' => return Ok((value, i + 1)),
            // Only \" and \\ are escapes; any other backslash stays, so that regular expressions
            // such as "\d+" can be written as they are.
            '\\' if matches!(chars.get(i + 1), Some('"' | '\\')) => {
                value.push(chars[i + 1]);
                i += 2;
            }
            _ => {
                value.push(c);
                i += 1;
            }
        }
    }
    Err(SyntaxError::at(
        open,
        "the text is not closed; add the closing \" (write \\\" for a quote inside the text)",
    ))
}
