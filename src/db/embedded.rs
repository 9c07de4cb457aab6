//! The embedded default: a private PostgreSQL cluster under `FILINGS_DATA_DIR/postgres`, run
//! from the PostgreSQL binaries installed on this machine when `DATABASE_URL` is unset.
//!
//! The cluster listens only on a Unix socket inside its own data directory (mode 0700, trust
//! authentication), so no TCP port can clash and no other local user can connect. It is
//! initialised on first start, reused afterwards, and stopped by [`EmbeddedPostgres::stop`] (or
//! on drop). A lock file next to it keeps a second `filings` process away; a cluster left
//! running by a process that died is found through `pg_ctl status` and adopted.
//!
//! PostgreSQL refuses to run as root. When we are root, `initdb` and `pg_ctl` run as the
//! `postgres` system user, which then owns the data directory.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sqlx::postgres::PgConnectOptions;

mod binaries;

pub use binaries::{PgBinaries, install_dirs, parse_major_version};

/// The port number in the socket's name (`.s.PGSQL.5432`); no TCP port is opened.
const SOCKET_PORT: u16 = 5432;
/// `sockaddr_un.sun_path` holds 108 bytes including the terminating NUL.
const MAX_SOCKET_PATH: usize = 107;
/// How long `pg_ctl` may wait for the server to start or stop.
const PG_CTL_TIMEOUT_SECS: &str = "60";
/// The superuser created by `initdb`, and the system user we switch to when running as root.
const POSTGRES_USER: &str = "postgres";

/// Why the embedded cluster could not be started or stopped.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    /// No `initdb` and `pg_ctl` were found.
    #[error(
        "no PostgreSQL server binaries (initdb, pg_ctl) found on PATH or in {searched}. \
         Install PostgreSQL (Debian/Ubuntu: `apt-get install postgresql`; Fedora: \
         `dnf install postgresql-server`; macOS: `brew install postgresql`), or set \
         DATABASE_URL to use an existing PostgreSQL server"
    )]
    NoBinaries {
        /// The fixed install locations that were searched.
        searched: String,
    },
    /// Running as root without a `postgres` user to run the server as.
    #[error(
        "running as root, and PostgreSQL refuses to run as root, but there is no `postgres` \
         system user to run it as. Create one (`useradd --system --user-group postgres`), run \
         filings as a normal user, or set DATABASE_URL"
    )]
    NoServiceUser,
    /// Another process holds the data directory's lock.
    #[error(
        "another filings process{holder} is using the embedded cluster in {data_dir}. Stop it, \
         set FILINGS_DATA_DIR to another directory, or set DATABASE_URL"
    )]
    InUse {
        /// The data directory.
        data_dir: PathBuf,
        /// ` (pid N)` when the lock file names the holder.
        holder: String,
    },
    /// The socket path would not fit in a Unix socket address.
    #[error(
        "the data directory path {0} is too long for PostgreSQL's Unix socket (at most {max} \
         bytes with `/.s.PGSQL.5432`). Set FILINGS_DATA_DIR to a shorter path, or set \
         DATABASE_URL", max = MAX_SOCKET_PATH
    )]
    PathTooLong(PathBuf),
    /// The data directory was made by another major version than the binaries found.
    #[error(
        "{pgdata} holds a PostgreSQL {data_version} cluster, but the binaries found are \
         {found}. Install PostgreSQL {data_version}, move that directory away (its data is not \
         converted automatically; see pg_upgrade), or set DATABASE_URL"
    )]
    VersionMismatch {
        /// The cluster's data directory.
        pgdata: PathBuf,
        /// Its `PG_VERSION`.
        data_version: String,
        /// The versions and directories found.
        found: String,
    },
    /// The data directory exists but is no PostgreSQL cluster.
    #[error(
        "{0} exists but is not a PostgreSQL data directory (no PG_VERSION). Remove it, or set \
         FILINGS_DATA_DIR to another directory"
    )]
    NotACluster(PathBuf),
    /// A PostgreSQL program failed.
    #[error("`{program}` failed ({status}): {output}{hint}")]
    Command {
        /// The program and its main arguments.
        program: String,
        /// Its exit status.
        status: String,
        /// What it printed (and the server log's tail, for `pg_ctl start`).
        output: String,
        /// What to do about it, when we can tell.
        hint: String,
    },
    /// A file system operation failed.
    #[error("{context}: {source}{hint}")]
    Io {
        /// What we were doing.
        context: String,
        /// The error.
        source: std::io::Error,
        /// What to do about it, when we can tell.
        hint: String,
    },
}

impl EmbeddedError {
    fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io { context: context.into(), source, hint: String::new() }
    }
}

/// How the cluster is tuned.
#[derive(Debug, Clone)]
pub struct EmbeddedOptions {
    /// `false` for throwaway test clusters: no fsync, which makes `initdb` and
    /// `CREATE DATABASE` several times faster but loses data on a machine crash.
    pub durable: bool,
}

impl Default for EmbeddedOptions {
    fn default() -> Self {
        Self { durable: true }
    }
}

/// A running private cluster. Stop it with [`EmbeddedPostgres::stop`]; dropping it stops it
/// too (blocking).
#[derive(Debug)]
pub struct EmbeddedPostgres {
    pgdata: PathBuf,
    binaries: PgBinaries,
    run_as: Option<(u32, u32)>,
    initialised: bool,
    adopted: bool,
    stopped: bool,
    /// Held (locked) for as long as this value lives.
    _lock: File,
}

impl EmbeddedPostgres {
    /// Starts (initialising on first use) the cluster in `data_dir/postgres`.
    ///
    /// Blocking: run it on a blocking thread from async code.
    pub fn start(data_dir: &Path, options: &EmbeddedOptions) -> Result<Self, EmbeddedError> {
        fs::create_dir_all(data_dir)
            .map_err(|e| EmbeddedError::io(format!("creating {}", data_dir.display()), e))?;
        let data_dir = fs::canonicalize(data_dir)
            .map_err(|e| EmbeddedError::io(format!("resolving {}", data_dir.display()), e))?;
        let pgdata = data_dir.join("postgres");
        if socket_path(&pgdata).as_os_str().len() > MAX_SOCKET_PATH {
            return Err(EmbeddedError::PathTooLong(pgdata));
        }
        let lock = lock_data_dir(&data_dir)?;
        let run_as = service_user()?;
        let data_version = fs::read_to_string(pgdata.join("PG_VERSION")).ok();
        let data_version = data_version.as_deref().map(str::trim);
        let binaries = PgBinaries::find(data_version).map_err(|e| match e {
            EmbeddedError::VersionMismatch { data_version, found, .. } => {
                EmbeddedError::VersionMismatch { pgdata: pgdata.clone(), data_version, found }
            }
            other => other,
        })?;
        let mut cluster = Self {
            pgdata,
            binaries,
            run_as,
            initialised: false,
            adopted: false,
            stopped: true,
            _lock: lock,
        };
        if data_version.is_none() {
            cluster.initialise(options)?;
            cluster.initialised = true;
        }
        if cluster.is_running()? {
            tracing::warn!(pgdata = %cluster.pgdata.display(), "adopting a PostgreSQL server left running by an earlier process");
            cluster.adopted = true;
        } else {
            cluster.pg_ctl_start()?;
        }
        cluster.stopped = false;
        Ok(cluster)
    }

    /// The cluster's data directory (`data_dir/postgres`); its Unix socket is in there too.
    pub fn pgdata(&self) -> &Path {
        &self.pgdata
    }

    /// The binaries in use.
    pub fn binaries(&self) -> &PgBinaries {
        &self.binaries
    }

    /// Whether this start ran `initdb` (false when an existing cluster was reused).
    pub fn initialised(&self) -> bool {
        self.initialised
    }

    /// Whether the server was already running (left over by a process that did not stop it).
    pub fn adopted(&self) -> bool {
        self.adopted
    }

    /// How to connect: the `postgres` superuser and database, over the socket.
    pub fn connect_options(&self) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.pgdata)
            .port(SOCKET_PORT)
            .username(POSTGRES_USER)
            .database("postgres")
    }

    /// Whether the server is running (`pg_ctl status`).
    pub fn is_running(&self) -> Result<bool, EmbeddedError> {
        let output = self.run(self.pg_ctl().arg("status"), "pg_ctl status", false)?;
        // 0: running; 3: not running; 4: no accessible data directory.
        Ok(output.status.code() == Some(0))
    }

    /// Stops the server (fast shutdown: open sessions are ended, data is kept) and releases
    /// the data directory. Blocking.
    pub fn stop(mut self) -> Result<(), EmbeddedError> {
        self.stop_server()
    }

    fn stop_server(&mut self) -> Result<(), EmbeddedError> {
        if self.stopped {
            return Ok(());
        }
        self.stopped = true;
        if !self.is_running()? {
            return Ok(());
        }
        let mut command = self.pg_ctl();
        command.args(["stop", "-m", "fast", "-w", "-t", PG_CTL_TIMEOUT_SECS]);
        self.run(&mut command, "pg_ctl stop", true)?;
        tracing::info!(pgdata = %self.pgdata.display(), "embedded PostgreSQL stopped");
        Ok(())
    }

    fn initialise(&self, options: &EmbeddedOptions) -> Result<(), EmbeddedError> {
        let pgdata = &self.pgdata;
        if pgdata.exists() {
            let mut entries = fs::read_dir(pgdata)
                .map_err(|e| EmbeddedError::io(format!("reading {}", pgdata.display()), e))?;
            if entries.next().is_some() {
                return Err(EmbeddedError::NotACluster(pgdata.clone()));
            }
        } else {
            fs::create_dir(pgdata)
                .map_err(|e| EmbeddedError::io(format!("creating {}", pgdata.display()), e))?;
        }
        fs::set_permissions(pgdata, fs::Permissions::from_mode(0o700))
            .map_err(|e| EmbeddedError::io(format!("restricting {}", pgdata.display()), e))?;
        if let Some((uid, gid)) = self.run_as {
            std::os::unix::fs::chown(pgdata, Some(uid), Some(gid)).map_err(|e| {
                EmbeddedError::io(format!("giving {} to the postgres user", pgdata.display()), e)
            })?;
        }
        tracing::info!(pgdata = %pgdata.display(), version = %self.binaries.major, "initialising embedded PostgreSQL cluster");
        let mut initdb = self.command("initdb");
        initdb.arg("-D").arg(pgdata).args([
            "--username",
            POSTGRES_USER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
        ]);
        if !options.durable {
            initdb.arg("--no-sync");
        }
        self.run(&mut initdb, "initdb", true)?;
        let mut settings = String::from(
            "\n# Added by filings: a private cluster reached only through the Unix socket in this\n\
             # directory, by its owner (and root).\n\
             listen_addresses = ''\n\
             unix_socket_directories = '.'\n\
             unix_socket_permissions = 0700\n",
        );
        settings.push_str(&format!("port = {SOCKET_PORT}\n"));
        if !options.durable {
            settings.push_str("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        }
        let conf = pgdata.join("postgresql.conf");
        let mut file = OpenOptions::new()
            .append(true)
            .open(&conf)
            .map_err(|e| EmbeddedError::io(format!("opening {}", conf.display()), e))?;
        file.write_all(settings.as_bytes())
            .map_err(|e| EmbeddedError::io(format!("writing {}", conf.display()), e))
    }

    fn pg_ctl_start(&self) -> Result<(), EmbeddedError> {
        let log = self.pgdata.join("server.log");
        let mut command = self.pg_ctl();
        command.args(["start", "-w", "-t", PG_CTL_TIMEOUT_SECS, "-l"]).arg(&log);
        match self.run(&mut command, "pg_ctl start", true) {
            Ok(_) => {
                tracing::info!(pgdata = %self.pgdata.display(), "embedded PostgreSQL started");
                Ok(())
            }
            Err(EmbeddedError::Command { program, status, output, hint }) => {
                let tail = fs::read_to_string(&log).unwrap_or_default();
                let tail: Vec<&str> = tail.lines().rev().take(15).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                let output =
                    format!("{output}\nserver log ({}):\n{}", log.display(), tail.join("\n"));
                Err(EmbeddedError::Command { program, status, output, hint })
            }
            Err(other) => Err(other),
        }
    }

    fn pg_ctl(&self) -> Command {
        let mut command = self.command("pg_ctl");
        command.arg("-D").arg(&self.pgdata).arg("-s");
        command
    }

    /// A PostgreSQL program, run as the service user when we are root, with no stray `PG*`
    /// variables from our environment (`PGPORT` would rename the socket).
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.binaries.program(program));
        command.stdin(Stdio::null()).current_dir(&self.pgdata);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("PG") {
                command.env_remove(name);
            }
        }
        if let Some((uid, gid)) = self.run_as {
            command.uid(uid).gid(gid);
        }
        command
    }

    /// Runs `command` and captures its output; with `check`, a failure is an error.
    fn run(&self, command: &mut Command, what: &str, check: bool) -> Result<Output, EmbeddedError> {
        let output = command.output().map_err(|source| EmbeddedError::Io {
            context: format!("running {what}"),
            hint: self.access_hint(&source.to_string()),
            source,
        })?;
        if check && !output.status.success() {
            let printed = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            return Err(EmbeddedError::Command {
                program: what.to_owned(),
                status: output.status.to_string(),
                hint: self.access_hint(&printed),
                output: printed.trim().to_owned(),
            });
        }
        Ok(output)
    }

    /// When running as root, the most common failure is that the `postgres` user cannot reach
    /// the data directory.
    fn access_hint(&self, printed: &str) -> String {
        if self.run_as.is_some() && printed.contains("ermission denied") {
            format!(
                ". The `postgres` user must be able to reach {}: give every parent directory \
                 execute permission for it (chmod o+x), or set FILINGS_DATA_DIR to a directory \
                 it can reach (e.g. /var/lib/filings)",
                self.pgdata.display()
            )
        } else {
            String::new()
        }
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        if let Err(error) = self.stop_server() {
            tracing::error!(%error, "could not stop the embedded PostgreSQL server");
        }
    }
}

fn socket_path(pgdata: &Path) -> PathBuf {
    pgdata.join(format!(".s.PGSQL.{SOCKET_PORT}"))
}

/// Takes the data directory's lock (`postgres.lock`) and writes our pid into it.
fn lock_data_dir(data_dir: &Path) -> Result<File, EmbeddedError> {
    let path = data_dir.join("postgres.lock");
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| EmbeddedError::io(format!("opening {}", path.display()), e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            let holder = if holder.is_empty() { String::new() } else { format!(" (pid {holder})") };
            return Err(EmbeddedError::InUse { data_dir: data_dir.to_path_buf(), holder });
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(EmbeddedError::io(format!("locking {}", path.display()), e));
        }
    }
    let pid = std::process::id().to_string();
    file.set_len(0)
        .and_then(|()| file.write_all(pid.as_bytes()))
        .map_err(|e| EmbeddedError::io(format!("writing {}", path.display()), e))?;
    Ok(file)
}

/// `Some((uid, gid))` of the `postgres` user when we are root (PostgreSQL will not run as
/// root); `None` otherwise.
fn service_user() -> Result<Option<(u32, u32)>, EmbeddedError> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(None);
    }
    match nix::unistd::User::from_name(POSTGRES_USER) {
        Ok(Some(user)) => Ok(Some((user.uid.as_raw(), user.gid.as_raw()))),
        Ok(None) => Err(EmbeddedError::NoServiceUser),
        Err(errno) => Err(EmbeddedError::io("looking up the postgres user", errno.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_dir_too_deep_for_a_unix_socket_is_refused_with_advice() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("d".repeat(60)).join("e".repeat(60));
        let error = EmbeddedPostgres::start(&deep, &EmbeddedOptions::default()).unwrap_err();
        assert!(matches!(error, EmbeddedError::PathTooLong(_)), "{error}");
        let message = error.to_string();
        assert!(
            message.contains("FILINGS_DATA_DIR") && message.contains("DATABASE_URL"),
            "{message}"
        );
    }
}
