//! Embeds the guide voice (audio/guide/*.ogg and its manifest, English;
//! audio/guide-<tag>/ for each other language) in the binary, so that
//! `cargo install soothe` speaks every language anywhere. A language whose
//! folder is not there (yet) is built without a guide voice. Without the
//! `all-guides` feature (the web app, which loads the chosen language's
//! guide, English's too, when it is played) none is embedded.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let audio = Path::new(env!("CARGO_MANIFEST_DIR")).join("audio");
    let mut languages = Vec::new();
    if std::env::var_os("CARGO_FEATURE_ALL_GUIDES").is_some() {
        languages.push(("en".to_string(), audio.join("guide")));
        let mut others: Vec<(String, std::path::PathBuf)> = std::fs::read_dir(&audio)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        let tag = name.strip_prefix("guide-")?.to_string();
                        Some((tag, e.path()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        others.sort();
        languages.extend(others);
    }
    // A folder that appears later is picked up too.
    println!("cargo:rerun-if-changed={}", audio.display());
    let mut code = String::from(
        "/// (language, (prompt id, Ogg Vorbis bytes) of its guide voice, `id<TAB>text` of every prompt).\n#[allow(clippy::type_complexity)]\npub static GUIDES: &[(&str, &[(&str, &[u8])], &str)] = &[\n",
    );
    for (tag, dir) in &languages {
        if !dir.is_dir() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "ogg"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        writeln!(code, "    ({tag:?}, &[").unwrap();
        for file in &files {
            let id = file.file_stem().unwrap().to_string_lossy();
            writeln!(
                code,
                "        ({id:?}, include_bytes!({:?})),",
                file.display().to_string()
            )
            .unwrap();
        }
        let manifest = dir.join("manifest.tsv");
        if manifest.exists() {
            writeln!(
                code,
                "    ], include_str!({:?})),",
                manifest.display().to_string()
            )
            .unwrap();
        } else {
            code.push_str("    ], \"\"),\n");
        }
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("guide.rs");
    std::fs::write(out, code).unwrap();
}
