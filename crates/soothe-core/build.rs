//! Embeds the guide voice (audio/guide/*.ogg and its manifest) in the
//! binary, so that `cargo install soothe` works anywhere.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("audio/guide");
    println!("cargo:rerun-if-changed={}", dir.display());

    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ogg"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();

    let mut code = String::from(
        "/// (prompt id, Ogg Vorbis bytes) of the guide voice.\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for file in &files {
        let id = file.file_stem().unwrap().to_string_lossy();
        writeln!(
            code,
            "    ({id:?}, include_bytes!({:?})),",
            file.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let manifest = dir.join("manifest.tsv");
    if manifest.exists() {
        writeln!(
            code,
            "/// `id<TAB>text` of every guide prompt.\npub static MANIFEST: &str = include_str!({:?});",
            manifest.display().to_string()
        )
        .unwrap();
    } else {
        code.push_str(
            "/// `id<TAB>text` of every guide prompt.\npub static MANIFEST: &str = \"\";\n",
        );
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("guide.rs");
    std::fs::write(out, code).unwrap();
}
