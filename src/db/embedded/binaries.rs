//! Finding the PostgreSQL server binaries (`initdb`, `pg_ctl`) installed on this machine, and
//! their version.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::EmbeddedError;

/// A directory holding `initdb` and `pg_ctl` of one PostgreSQL version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgBinaries {
    /// The directory.
    pub dir: PathBuf,
    /// The major version (`15`; `9.6` for versions before 10), as `PG_VERSION` spells it.
    pub major: String,
}

impl PgBinaries {
    /// Finds the binaries: on `PATH` first, then where distribution packages install them,
    /// highest version first. With `major`, only a directory of that version will do (an
    /// existing cluster needs the version that made it).
    pub fn find(major: Option<&str>) -> Result<Self, EmbeddedError> {
        Self::find_in(std::env::var_os("PATH").as_deref(), &install_dirs(), major)
    }

    /// [`PgBinaries::find`] with an explicit `PATH` value and list of install directories.
    pub fn find_in(
        path: Option<&OsStr>,
        install_dirs: &[PathBuf],
        major: Option<&str>,
    ) -> Result<Self, EmbeddedError> {
        let mut candidates: Vec<PathBuf> = Vec::new();
        let on_path =
            path.map(|p| std::env::split_paths(p).collect::<Vec<_>>()).unwrap_or_default();
        for dir in on_path.into_iter().chain(install_dirs.iter().cloned()) {
            let initdb = dir.join("initdb");
            if !is_executable(&initdb) || !is_executable(&dir.join("pg_ctl")) {
                continue;
            }
            // `/usr/local/bin/initdb` is often a link into a versioned directory: compare the
            // real directories so one installation is not tried twice.
            let real = fs::canonicalize(&initdb)
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf))
                .unwrap_or_else(|| dir.clone());
            if !candidates.iter().any(|c| c == &real) {
                candidates.push(real);
            }
        }
        if candidates.is_empty() {
            let searched = install_dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>();
            let searched = if searched.is_empty() {
                "no other directory".to_owned()
            } else {
                searched.join(", ")
            };
            return Err(EmbeddedError::NoBinaries { searched });
        }
        let mut found = Vec::new();
        for dir in candidates {
            let version = binaries_version(&dir)?;
            if major.is_none_or(|m| m == version) {
                return Ok(Self { dir, major: version });
            }
            found.push(format!("{version} in {}", dir.display()));
        }
        Err(EmbeddedError::VersionMismatch {
            pgdata: PathBuf::new(),
            data_version: major.unwrap_or_default().to_owned(),
            found: found.join(", "),
        })
    }

    /// The path of one of the programs, e.g. `pg_ctl`.
    pub fn program(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// Where distribution packages put server binaries, newest version first: Debian and Ubuntu
/// (`/usr/lib/postgresql/N/bin`), Fedora and RHEL (`/usr/pgsql-N/bin`), source builds
/// (`/usr/local/pgsql/bin`).
pub fn install_dirs() -> Vec<PathBuf> {
    let mut dirs = versioned_dirs(Path::new("/usr/lib/postgresql"), "", "bin");
    dirs.extend(versioned_dirs(Path::new("/usr"), "pgsql-", "bin"));
    dirs.push(PathBuf::from("/usr/local/pgsql/bin"));
    dirs
}

/// `root/{prefix}VERSION/leaf` for every version present, highest first.
fn versioned_dirs(root: &Path, prefix: &str, leaf: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(root) else { return Vec::new() };
    let mut versions: Vec<(Vec<u32>, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let version = name.strip_prefix(prefix)?;
            let key =
                version.split('.').map(|n| n.parse::<u32>().ok()).collect::<Option<Vec<_>>>()?;
            Some((key, entry.path().join(leaf)))
        })
        .collect();
    versions.sort_by(|a, b| b.0.cmp(&a.0));
    versions.into_iter().map(|(_, dir)| dir).collect()
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path).map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
}

/// The major version printed by `pg_ctl --version` (`pg_ctl (PostgreSQL) 15.20 (Debian ...)`).
fn binaries_version(dir: &Path) -> Result<String, EmbeddedError> {
    let program = dir.join("pg_ctl");
    let output =
        Command::new(&program).arg("--version").stdin(Stdio::null()).output().map_err(|e| {
            EmbeddedError::io(format!("running {} --version", program.display()), e)
        })?;
    let text = String::from_utf8_lossy(&output.stdout);
    parse_major_version(&text).ok_or_else(|| EmbeddedError::Command {
        program: format!("{} --version", program.display()),
        status: output.status.to_string(),
        output: format!("unexpected output {:?}", text.trim()),
        hint: String::new(),
    })
}

/// `pg_ctl (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)` gives `15`; `9.6.24` gives `9.6`.
pub fn parse_major_version(version_output: &str) -> Option<String> {
    let version = version_output.split("(PostgreSQL)").nth(1)?.split_whitespace().next()?;
    let numbers: Vec<&str> =
        version.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty()).collect();
    let first: u32 = numbers.first()?.parse().ok()?;
    if first >= 10 { Some(first.to_string()) } else { Some(format!("{first}.{}", numbers.get(1)?)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_versions_are_read_from_pg_ctl_output() {
        assert_eq!(
            parse_major_version("pg_ctl (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n").as_deref(),
            Some("15")
        );
        assert_eq!(parse_major_version("pg_ctl (PostgreSQL) 17beta1").as_deref(), Some("17"));
        assert_eq!(parse_major_version("pg_ctl (PostgreSQL) 9.6.24").as_deref(), Some("9.6"));
        assert_eq!(parse_major_version("something else"), None);
    }

    #[test]
    fn missing_binaries_say_what_to_install_or_set() {
        let error =
            PgBinaries::find_in(Some(OsStr::new("")), &[PathBuf::from("/nonexistent/bin")], None)
                .unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, EmbeddedError::NoBinaries { .. }));
        assert!(message.contains("apt-get install postgresql"), "{message}");
        assert!(message.contains("DATABASE_URL"), "{message}");
        assert!(message.contains("/nonexistent/bin"), "{message}");
    }

    #[test]
    fn versioned_install_dirs_are_ordered_newest_first() {
        let root = tempfile::tempdir().unwrap();
        for version in ["9.6", "13", "16", "notaversion"] {
            fs::create_dir_all(root.path().join(version).join("bin")).unwrap();
        }
        let dirs = versioned_dirs(root.path(), "", "bin");
        let names: Vec<String> = dirs
            .iter()
            .map(|d| d.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["16", "13", "9.6"]);
    }
}
