//! Recursive-descent parser: tokens to a tree, with every function's name and argument count
//! checked before anything is evaluated.
//!
//! ```text
//! expression := operand [ "=" operand ]
//! operand    := TEXT | NUMBER | ATTRIBUTE | NAME "(" [ argument { "," argument } ] ")"
//! argument   := expression | nothing          (an empty argument is null, as Entra allows)
//! ```

use super::functions::Function;
use super::lexer::{tokenize, Token, TokenKind};
use super::SyntaxError;

/// A node of the expression tree; `start`/`end` are its character span, for error messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the node is.
    pub kind: NodeKind,
    /// 0-based index of its first character.
    pub start: usize,
    /// 0-based index after its last character.
    pub end: usize,
}

/// The kinds of nodes.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `[name]`: a source attribute's value.
    Attribute(String),
    /// A text literal.
    Text(String),
    /// An integer literal.
    Number(i64),
    /// An argument left empty: null.
    Empty,
    /// `left = right`.
    Equals(Box<Node>, Box<Node>),
    /// A function call.
    Call(Function, Vec<Node>),
}

/// Parses an expression, or says at which character and why it cannot.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err(SyntaxError::at(
            0,
            "the expression is empty; write one such as Join(\" \", [givenName], [surname])",
        ));
    }
    let mut parser = Parser {
        tokens: &tokens,
        next: 0,
        length: text.chars().count(),
        depth: 0,
    };
    let node = parser.expression()?;
    if let Some(extra) = parser.peek() {
        return Err(SyntaxError::at(
            extra.start,
            format!(
                "unexpected {} after the end of the expression; separate arguments with commas inside a function call",
                describe(&extra.kind)
            ),
        ));
    }
    Ok(node)
}

/// How deeply calls may nest; Entra's own limit is far lower in practice, and a bound keeps a
/// hostile document from exhausting the stack.
pub const MAX_NESTING: usize = 32;

struct Parser<'a> {
    tokens: &'a [Token],
    next: usize,
    length: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn advance(&mut self) -> Option<&Token> {
        let token = self.tokens.get(self.next);
        self.next += 1;
        token
    }

    fn expression(&mut self) -> Result<Node, SyntaxError> {
        let left = self.operand()?;
        if self.peek().is_some_and(|t| t.kind == TokenKind::Equals) {
            self.next += 1;
            let right = self.operand()?;
            let (start, end) = (left.start, right.end);
            return Ok(Node {
                kind: NodeKind::Equals(Box::new(left), Box::new(right)),
                start,
                end,
            });
        }
        Ok(left)
    }

    fn operand(&mut self) -> Result<Node, SyntaxError> {
        let length = self.length;
        let Some(token) = self.advance().cloned() else {
            return Err(SyntaxError::at(
                length,
                "the expression ends too early; a value is missing here",
            ));
        };
        let node = |kind| Node {
            kind,
            start: token.start,
            end: token.end,
        };
        match token.kind {
            TokenKind::Attribute(name) => Ok(node(NodeKind::Attribute(name))),
            TokenKind::Text(text) => Ok(node(NodeKind::Text(text))),
            TokenKind::Number(n) => Ok(node(NodeKind::Number(n))),
            TokenKind::Name(ref name) => self.call(name, &token),
            ref other => Err(SyntaxError::at(
                token.start,
                format!(
                    "expected a value (a function call, [attribute], \"text\" or a number), found {}",
                    describe(other)
                ),
            )),
        }
    }

    fn call(&mut self, name: &str, name_token: &Token) -> Result<Node, SyntaxError> {
        if self.depth >= MAX_NESTING {
            return Err(SyntaxError::at(
                name_token.start,
                format!("function calls are nested more than {MAX_NESTING} deep; simplify the expression"),
            ));
        }
        self.depth += 1;
        let node = self.call_inner(name, name_token);
        self.depth -= 1;
        node
    }

    fn call_inner(&mut self, name: &str, name_token: &Token) -> Result<Node, SyntaxError> {
        let Some(function) = Function::from_name(name) else {
            let hint = Function::closest(name)
                .map(|f| format!("; did you mean {}?", f.name()))
                .unwrap_or_else(|| {
                    format!(
                        ". Known functions: {}",
                        Function::ALL
                            .iter()
                            .map(|f| f.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
            let message = if self.peek().is_some_and(|t| t.kind == TokenKind::Open) {
                format!("unknown function {name}{hint}")
            } else {
                format!("{name} is neither a function call nor an attribute reference; write a source attribute in brackets: [{name}]")
            };
            return Err(SyntaxError::at(name_token.start, message));
        };
        match self.advance() {
            Some(t) if t.kind == TokenKind::Open => {}
            Some(t) => {
                return Err(SyntaxError::at(
                    t.start,
                    format!("expected ( after {}", function.name()),
                ))
            }
            None => {
                return Err(SyntaxError::at(
                    self.length,
                    format!("expected ( after {}", function.name()),
                ))
            }
        }
        let mut args = Vec::new();
        let end;
        if let Some(t) = self.peek().filter(|t| t.kind == TokenKind::Close) {
            end = t.end;
            self.next += 1;
        } else {
            loop {
                args.push(self.argument()?);
                let length = self.length;
                match self.advance() {
                    Some(t) if t.kind == TokenKind::Comma => continue,
                    Some(t) if t.kind == TokenKind::Close => {
                        end = t.end;
                        break;
                    }
                    Some(t) => {
                        return Err(SyntaxError::at(
                            t.start,
                            format!(
                                "expected , or ) in the arguments of {}, found {}",
                                function.name(),
                                describe(&t.kind)
                            ),
                        ))
                    }
                    None => {
                        return Err(SyntaxError::at(
                            length,
                            format!("the call to {} is not closed; add the )", function.name()),
                        ))
                    }
                }
            }
        }
        function
            .check_arity(args.len())
            .map_err(|message| SyntaxError::at(name_token.start, message))?;
        Ok(Node {
            kind: NodeKind::Call(function, args),
            start: name_token.start,
            end,
        })
    }

    fn argument(&mut self) -> Result<Node, SyntaxError> {
        match self.peek() {
            Some(t) if matches!(t.kind, TokenKind::Comma | TokenKind::Close) => Ok(Node {
                kind: NodeKind::Empty,
                start: t.start,
                end: t.start,
            }),
            _ => self.expression(),
        }
    }
}

fn describe(kind: &TokenKind) -> String {
    match kind {
        TokenKind::Attribute(name) => format!("the attribute [{name}]"),
        TokenKind::Text(text) => format!("the text \"{text}\""),
        TokenKind::Number(n) => format!("the number {n}"),
        TokenKind::Name(name) => format!("the name {name}"),
        TokenKind::Open => "(".into(),
        TokenKind::Close => ")".into(),
        TokenKind::Comma => ",".into(),
        TokenKind::Equals => "=".into(),
    }
}
