using System.Diagnostics;
using PgHa.Core.Migration;
using PgHa.Operations.Postgres;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>The migration Job's script, run for real between two loopback PostgreSQL servers.</summary>
public sealed class MigrationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string MonitorUser = "pgha_monitor";
    private const string MonitorPassword = "Monitor-Pa55";

    private LoopbackPostgres _source = null!;
    private LoopbackPostgres _target = null!;

    // 25 tables of varied types and sizes, sequences, identity, indexes (one GIN trigram), a view, large objects, bytea,
    // and two extensions from PostgreSQL's contrib.
    private const string SourceSchema = """
        CREATE EXTENSION pg_trgm;
        CREATE EXTENSION hstore;
        CREATE TABLE t01 (id serial PRIMARY KEY, name text NOT NULL);
        INSERT INTO t01 (name) SELECT 'customer ' || g FROM generate_series(1, 5000) g;
        CREATE INDEX t01_name_trgm ON t01 USING gin (name gin_trgm_ops);
        CREATE TABLE t02 (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount numeric(12, 2), at timestamptz DEFAULT now());
        INSERT INTO t02 (amount) SELECT g * 1.25 FROM generate_series(1, 20000) g;
        CREATE TABLE t03 (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), doc jsonb);
        INSERT INTO t03 (doc) SELECT jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g)) FROM generate_series(1, 3000) g;
        CREATE TABLE t04 (id int PRIMARY KEY, payload bytea);
        INSERT INTO t04 SELECT g, decode(repeat(md5(g::text), 64), 'hex') FROM generate_series(1, 500) g;
        CREATE TABLE t05 (id int PRIMARY KEY, attrs hstore, flags boolean[], happened daterange);
        INSERT INTO t05 SELECT g, hstore('k', g::text), ARRAY[g % 2 = 0, true], daterange('2024-01-01', '2024-12-31') FROM generate_series(1, 1000) g;
        CREATE TABLE t06 (id int PRIMARY KEY, doc_oid oid);
        INSERT INTO t06 SELECT g, lo_from_bytea(0, convert_to('large object ' || g, 'UTF8')) FROM generate_series(1, 20) g;
        CREATE TABLE t07 (id int PRIMARY KEY, parent int REFERENCES t07 (id), note text);
        INSERT INTO t07 SELECT g, NULLIF(g - 1, 0), 'row ' || g FROM generate_series(1, 700) g;
        CREATE TABLE t08 (id int, at timestamp, PRIMARY KEY (id, at));
        CREATE TABLE t09 (code char(3) PRIMARY KEY, description varchar(200));
        INSERT INTO t09 VALUES ('EUR', 'Euro'), ('USD', 'US dollar'), ('JPY', 'Yen');
        CREATE SEQUENCE invoice_numbers START 1000;
        SELECT nextval('invoice_numbers') FROM generate_series(1, 42);
        DO $$ BEGIN FOR i IN 10..25 LOOP
          EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, v double precision, label text)', i);
          EXECUTE format('INSERT INTO t%s SELECT g, g / 3.0, %L || g FROM generate_series(1, %s) g', i, 'label-', i * 37);
        END LOOP; END $$;
        CREATE VIEW big_customers AS SELECT t01.id, t01.name, sum(t02.amount) AS total FROM t01 JOIN t02 ON t02.id = t01.id GROUP BY 1, 2;
        """;

    public async Task InitializeAsync()
    {
        try
        {
            _source = await LoopbackPostgres.StartAsync(output.WriteLine);
            _target = await LoopbackPostgres.StartAsync(output.WriteLine);
            await _source.ExecuteAsync("CREATE DATABASE legacy");
            await _source.ExecuteAsync(SourceSchema, "legacy");
            // The target as the cluster has it after the app-database Job: an empty database owned by the app role.
            await _target.ExecuteAsync("CREATE ROLE agentic_pm LOGIN");
            await _target.ExecuteAsync("CREATE DATABASE agentic_pm_db OWNER agentic_pm");
            // And the monitoring role it makes: pg_monitor, CONNECT on the app database, nothing else.
            await _target.ExecuteAsync($"CREATE ROLE {MonitorUser} LOGIN PASSWORD '{MonitorPassword}' IN ROLE pg_monitor");
            await _target.ExecuteAsync($"GRANT CONNECT ON DATABASE agentic_pm_db TO {MonitorUser}");
        }
        catch
        {
            // xUnit does not call DisposeAsync when InitializeAsync fails: stop what was started here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.DisposeAsync();
        }

        if (_target is not null)
        {
            await _target.DisposeAsync();
        }
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string mode = "migrate", bool force = false)
    {
        var work = Directory.CreateTempSubdirectory("pgha-migration-").FullName;
        var info = new ProcessStartInfo("/bin/bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(MigrationScript.Bash());
        var env = new Dictionary<string, string>
        {
            ["SOURCE_HOST"] = "127.0.0.1", ["SOURCE_PORT"] = _source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SOURCE_DATABASE"] = "legacy", ["SOURCE_USER"] = "postgres", ["SOURCE_PASSWORD"] = _source.Password, ["SOURCE_SSLMODE"] = "disable",
            ["TARGET_HOST"] = "127.0.0.1", ["TARGET_PORT"] = _target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TARGET_DATABASE"] = "agentic_pm_db", ["TARGET_USER"] = "postgres", ["TARGET_PASSWORD"] = _target.Password, ["TARGET_SSLMODE"] = "disable",
            ["TARGET_OWNER"] = "agentic_pm", ["REPORT_READER"] = MonitorUser, ["MODE"] = mode, ["FORCE"] = force ? "true" : "false", ["JOBS"] = "2", ["WORK_DIR"] = work,
            ["WAIT_SECONDS"] = "30", ["PATH"] = $"{PatroniCluster.FindBinDirectory()}:/usr/bin:/bin",
        };
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        var text = await stdout + await stderr;
        output.WriteLine($"[{mode}, exit {process.ExitCode}]\n{text}");
        Directory.Delete(work, recursive: true);
        Assert.DoesNotContain(_source.Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_target.Password, text, StringComparison.Ordinal);
        return (process.ExitCode, text);
    }

    [Fact]
    public async Task Migrates_everything_once_and_a_second_run_is_a_no_op()
    {
        var (exit, text) = await RunAsync();
        Assert.Equal(0, exit);
        Assert.Contains("source and target match: 25 tables", text, StringComparison.Ordinal);
        Assert.Contains($"source PostgreSQL {await _source.ScalarAsync<int>("SELECT current_setting('server_version_num')::int / 10000")}", text, StringComparison.Ordinal);
        Assert.Contains("\"tables\": 25", text, StringComparison.Ordinal);

        // Checked independently of the script's own comparison.
        foreach (var table in new[] { "t01", "t02", "t03", "t04", "t05", "t06", "t07", "t09", "t25" })
        {
            Assert.Equal(await _source.ScalarAsync<long>($"SELECT count(*) FROM {table}", "legacy"), await _target.ScalarAsync<long>($"SELECT count(*) FROM {table}", "agentic_pm_db"));
        }

        Assert.Equal(20L, await _target.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata", "agentic_pm_db"));
        Assert.Equal("large object 7", await _target.ScalarAsync<string>("SELECT convert_from(lo_get(doc_oid), 'UTF8') FROM t06 WHERE id = 7", "agentic_pm_db"));
        Assert.Equal(await _source.ScalarAsync<string>("SELECT md5(string_agg(encode(payload, 'hex'), '' ORDER BY id)) FROM t04", "legacy"),
            await _target.ScalarAsync<string>("SELECT md5(string_agg(encode(payload, 'hex'), '' ORDER BY id)) FROM t04", "agentic_pm_db"));
        Assert.Equal(1042L, await _target.ScalarAsync<long>("SELECT nextval('invoice_numbers')", "agentic_pm_db"));
        Assert.Equal(["hstore", "pg_trgm", "plpgsql"], await _target.ScalarAsync<string[]>("SELECT array_agg(extname::text ORDER BY extname) FROM pg_extension", "agentic_pm_db"));
        Assert.True(await _target.ScalarAsync<long>("SELECT count(*) FROM big_customers", "agentic_pm_db") > 0);
        Assert.Equal("agentic_pm", await _target.ScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE tablename = 't02'", "agentic_pm_db"));

        // The report the stack exports, as the post-migration check reads it: as the monitoring role, granted that one table.
        var report = await MigrationReportReader.ReadAsync(new PgHa.Core.Verification.MemberEndpoint("target", "127.0.0.1", _target.Port),
            new PgHa.Core.Verification.VerifierCredentials(MonitorUser, MonitorPassword), "agentic_pm_db", CancellationToken.None, Npgsql.SslMode.Disable);
        Assert.NotNull(report);
        Assert.Equal(25, report.Tables);
        Assert.Equal(await _source.ScalarAsync<long>(
            "SELECT sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', tablename), false, true, '')))[1]::text::bigint)::bigint FROM pg_tables WHERE schemaname = 'public'",
            "legacy"), report.Rows);
        Assert.Equal($"127.0.0.1:{_source.Port}/legacy", report.Source);

        // A second run dumps nothing again: a change made on the target since stays.
        await _target.ExecuteAsync("DELETE FROM t09 WHERE code = 'JPY'", "agentic_pm_db");
        var (again, againText) = await RunAsync();
        Assert.Equal(0, again);
        Assert.Contains("already migrated", againText, StringComparison.Ordinal);
        Assert.Equal(2L, await _target.ScalarAsync<long>("SELECT count(*) FROM t09", "agentic_pm_db"));
    }

    [Fact]
    public async Task A_target_with_data_is_refused_and_left_untouched_unless_forced()
    {
        await _target.ExecuteAsync("CREATE TABLE precious (id int); INSERT INTO precious VALUES (1)", "agentic_pm_db");
        var (exit, text) = await RunAsync();
        Assert.NotEqual(0, exit);
        Assert.Contains("REFUSED", text, StringComparison.Ordinal);
        Assert.Contains("pgha:migrationForce", text, StringComparison.Ordinal);
        Assert.Equal(1L, await _target.ScalarAsync<long>("SELECT count(*) FROM precious", "agentic_pm_db"));
        Assert.Equal(0L, await _target.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 't01'", "agentic_pm_db"));

        var (forced, _) = await RunAsync(force: true);
        Assert.Equal(0, forced);
        Assert.Equal(5000L, await _target.ScalarAsync<long>("SELECT count(*) FROM t01", "agentic_pm_db"));
    }

    [Fact]
    public async Task A_row_count_mismatch_fails_naming_the_table()
    {
        Assert.Equal(0, (await RunAsync()).ExitCode);
        await _target.ExecuteAsync("DELETE FROM t07 WHERE id > 690", "agentic_pm_db");
        var (exit, text) = await RunAsync(mode: "verify");
        Assert.NotEqual(0, exit);
        Assert.Contains("MIGRATION CHECK FAILED", text, StringComparison.Ordinal);
        Assert.Contains("row count of public.t07: source 700, target 690", text, StringComparison.Ordinal);
    }
}

/// <summary>The migration's major-version rule, run in bash with majors this machine does not have (it has one PostgreSQL).</summary>
public sealed class MigrationMajorCheckTests
{
    private static async Task<(int ExitCode, string Output)> CheckAsync(int source, int target)
    {
        var info = new ProcessStartInfo("/bin/bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"{MigrationScript.MajorCheckFunction}\ncheck_majors {source} {target}\necho continued");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [Theory]
    [InlineData(15, 17)]
    [InlineData(17, 17)]
    public async Task A_target_of_the_same_or_a_newer_major_goes_ahead(int source, int target)
    {
        var (exit, text) = await CheckAsync(source, target);
        Assert.Equal(0, exit);
        Assert.Contains("continued", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_older_than_the_source_is_refused_naming_both_majors_and_the_fix()
    {
        var (exit, text) = await CheckAsync(17, 15);
        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("continued", text, StringComparison.Ordinal);
        Assert.Contains("target runs PostgreSQL 15, older than the source's PostgreSQL 17", text, StringComparison.Ordinal);
        Assert.Contains("pgha:postgresVersion to 17", text, StringComparison.Ordinal);
    }
}
