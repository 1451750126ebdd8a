//! Making untrusted text terminal-safe. Runs once, at load.

/// Removes everything that could act on a terminal from multi-line text:
/// escape sequences of every kind (CSI, OSC, DCS, APC, PM, SOS, SS2/SS3, also
/// unterminated ones, in 7-bit and 8-bit forms), C0 and C1 controls other than
/// `\n`, bare carriage returns, backspaces, DEL, bidi overrides and isolates and
/// zero-width format characters. Tabs are expanded to spaces (stops every 8
/// columns). Newlines are kept.
pub fn sanitize(text: &str) -> String {
    let _ = text;
    todo!("sanitize")
}

/// Like [`sanitize`], for text shown on one line (ids, file names, titles,
/// messages): line breaks become spaces as well.
pub fn sanitize_line(text: &str) -> String {
    let _ = text;
    todo!("sanitize_line")
}
