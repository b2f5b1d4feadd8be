using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace StopSync.Tests.Deployment;

// The compose files are checked without a Docker engine: `docker-compose config -q` validates them offline, and the
// production file's text is read for the deployment rules (migration ownership, pre-built images, no source mounts).
// STOPSYNC_COMPOSE picks another compose command, e.g. "docker compose" where only the v2 plugin is installed.
public sealed class ComposeFileTests
{
    private const string ProductionFile = "docker-compose.yml";
    private const string DevelopmentFile = "docker-compose.override.yml";
    private const string ComposeCommandVariable = "STOPSYNC_COMPOSE";
    private const string DefaultComposeCommand = "docker-compose";
    private const string MigrationCompleted = "service_completed_successfully";

    private static readonly TimeSpan ComposeTimeout = TimeSpan.FromMinutes(2);

    // The services built from this repository's Dockerfile; db and redis use public upstream images.
    private static readonly string[] StopSyncServices = ["migrator", "app", "scheduler"];

    // Variables the compose files require (${VAR:?...}) or take from the environment.
    private static readonly Dictionary<string, string> ComposeVariables = new(StringComparer.Ordinal)
    {
        ["STOPSYNC_ADMIN_PASSWORD"] = "compose-file-test",
        ["STOPSYNC_ADMIN_USER"] = "admin",
        ["POSTGRES_PASSWORD"] = "compose-file-test",
        ["GHCR_OWNER"] = "stopsync",
        ["STOPSYNC_TAG"] = "test",
    };

    [Fact]
    public async Task ProductionComposeFile_IsValid_WhenCheckedByDockerCompose()
    {
        var result = await RunComposeConfigAsync(ProductionFile);

        Assert.True(result.ExitCode == 0, Describe(result));
    }

    [Fact]
    public async Task DevelopmentComposeFiles_AreValid_WhenMergedByDockerCompose()
    {
        var result = await RunComposeConfigAsync(ProductionFile, DevelopmentFile);

        Assert.True(result.ExitCode == 0, Describe(result));
    }

    [Theory]
    [InlineData("app")]
    [InlineData("scheduler")]
    public void ProductionComposeFile_StartsServiceOnlyAfterMigratorCompleted_WhenComposeStartsIt(string service)
    {
        var services = ReadServices(ProductionFile);

        var serviceBlock = GetService(services, service);
        var migratorDependency = GetChild(GetChild(serviceBlock, "depends_on"), "migrator");
        var condition = GetValue(migratorDependency, "condition");

        Assert.True(
            string.Equals(condition, MigrationCompleted, StringComparison.Ordinal),
            $"services.{service}.depends_on.migrator.condition must be {MigrationCompleted}, found '{condition ?? "<missing>"}'.");
    }

    [Fact]
    public void ProductionComposeFile_HasNoBuildKeysOrBindMounts_WhenUsingPublishedImages()
    {
        var lines = ReadLines(ProductionFile);
        var services = ReadServices(ProductionFile);

        var violations = new List<string>();
        foreach (var line in lines)
        {
            if (IsKey(line.Text, "build"))
            {
                violations.Add($"line {Format(line.Number)}: 'build:' belongs in {DevelopmentFile}");
            }

            // Long volume syntax; the key may open a sequence item ("- type: bind").
            var entry = line.Text.StartsWith('-') ? line.Text[1..].TrimStart() : line.Text;
            if (IsKey(entry, "type") && string.Equals(Unquote(AfterColon(entry)), "bind", StringComparison.Ordinal))
            {
                violations.Add($"line {Format(line.Number)}: bind mount (type: bind)");
            }
        }

        foreach (var (name, block) in services)
        {
            foreach (var volume in GetItems(GetChild(block, "volumes")))
            {
                var source = volume.Split(':')[0];
                if (source.StartsWith('.') || source.StartsWith('/') || source.StartsWith('~') || source.StartsWith('$'))
                {
                    violations.Add($"services.{name}.volumes: '{volume}' is a bind mount; use a named volume");
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void ProductionComposeFile_PublishesAppOnPort5001_WhenDeployed()
    {
        var services = ReadServices(ProductionFile);

        var ports = GetItems(GetChild(GetService(services, "app"), "ports"));

        Assert.True(
            ports.Exists(port => port.EndsWith("5001:5001", StringComparison.Ordinal)),
            $"services.app.ports must publish 5001:5001, found [{string.Join(", ", ports)}].");
    }

    [Fact]
    public void ProductionComposeFile_PullsStopSyncImagesFromGhcr_WhenDeployed()
    {
        var services = ReadServices(ProductionFile);

        var violations = new List<string>();
        foreach (var service in StopSyncServices)
        {
            var image = GetValue(GetService(services, service), "image");
            if (image is null || !image.StartsWith("ghcr.io/", StringComparison.Ordinal))
            {
                violations.Add($"services.{service}.image must be under ghcr.io/, found '{image ?? "<missing>"}'");
            }
        }

        foreach (var (name, block) in services)
        {
            var image = GetValue(block, "image");
            if (image is not null
                && image.Contains("stopsync-", StringComparison.Ordinal)
                && !image.StartsWith("ghcr.io/", StringComparison.Ordinal))
            {
                violations.Add($"services.{name}.image '{image}' is a StopSync image outside ghcr.io/");
            }
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void ProductionComposeFile_HasNoTestService_WhenDeployed()
    {
        var services = ReadServices(ProductionFile);

        // The test service belongs in docker-compose.override.yml.
        Assert.DoesNotContain("test", services.Keys);
    }

    private static async Task<ComposeResult> RunComposeConfigAsync(string composeFile, string? overrideFile = null)
    {
        var command = Environment.GetEnvironmentVariable(ComposeCommandVariable);
        var words = (string.IsNullOrWhiteSpace(command) ? DefaultComposeCommand : command)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var executable = FindOnPath(words[0]);
        if (executable is null)
        {
            Assert.Fail(
                $"'{words[0]}' is not on PATH, so the compose files cannot be validated. ./test.sh installs docker-compose " +
                $"(apt-get install docker-compose); alternatively set {ComposeCommandVariable}, e.g. to \"docker compose\".");
        }

        var startInfo = new ProcessStartInfo(executable!)
        {
            WorkingDirectory = FindRepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var word in words.Skip(1))
        {
            startInfo.ArgumentList.Add(word);
        }

        startInfo.ArgumentList.Add("-f");
        startInfo.ArgumentList.Add(composeFile);
        if (overrideFile is not null)
        {
            startInfo.ArgumentList.Add("-f");
            startInfo.ArgumentList.Add(overrideFile);
        }

        startInfo.ArgumentList.Add("config");
        startInfo.ArgumentList.Add("-q");

        // Only the files named with -f count, whatever the caller's shell has exported.
        startInfo.Environment.Remove("COMPOSE_FILE");
        startInfo.Environment.Remove("COMPOSE_PROFILES");
        foreach (var (name, value) in ComposeVariables)
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {executable}.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ComposeTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{string.Join(' ', startInfo.ArgumentList.Prepend(executable!))}' did not finish within " +
                $"{Format((int)ComposeTimeout.TotalSeconds)} s.");
        }

        var commandLine = string.Join(' ', startInfo.ArgumentList.Prepend(words[0]));
        return new ComposeResult(commandLine, process.ExitCode, await standardOutput, await standardError);
    }

    private static string Describe(ComposeResult result)
    {
        return $"'{result.CommandLine}' (in {FindRepositoryRoot()}) exited with {Format(result.ExitCode)}." +
            $"{Environment.NewLine}stderr:{Environment.NewLine}{result.StandardError.Trim()}" +
            $"{Environment.NewLine}stdout:{Environment.NewLine}{result.StandardOutput.Trim()}";
    }

    private static string? FindOnPath(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe"))
            {
                return candidate + ".exe";
            }
        }

        return null;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StopSync.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No directory above {AppContext.BaseDirectory} contains StopSync.slnx.");
    }

    // A minimal reader for the block-style YAML the compose files use: each line keeps its indentation, and a key's
    // children are the lines below it that are indented further. Flow collections and multi-line strings are not needed.
    private static List<YamlLine> ReadLines(string fileName)
    {
        var path = Path.Combine(FindRepositoryRoot(), fileName);
        var lines = new List<YamlLine>();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var text = StripComment(raw).TrimEnd();
            var trimmed = text.TrimStart();
            if (trimmed.Length == 0)
            {
                continue;
            }

            lines.Add(new YamlLine(number, text.Length - trimmed.Length, trimmed));
        }

        return lines;
    }

    private static Dictionary<string, List<YamlLine>> ReadServices(string fileName)
    {
        var servicesBlock = GetChild(ReadLines(fileName), "services");
        var services = new Dictionary<string, List<YamlLine>>(StringComparer.Ordinal);
        if (servicesBlock.Count == 0)
        {
            return services;
        }

        var indent = servicesBlock.Min(line => line.Indent);
        foreach (var line in servicesBlock.Where(line => line.Indent == indent && line.Text.EndsWith(':')))
        {
            var name = Unquote(line.Text[..^1]);
            services[name] = GetChild(servicesBlock, name);
        }

        return services;
    }

    private static List<YamlLine> GetService(Dictionary<string, List<YamlLine>> services, string name)
    {
        var found = services.TryGetValue(name, out var block);
        Assert.True(found, $"{ProductionFile} has no service '{name}'.");
        return block!;
    }

    private static List<YamlLine> GetChild(List<YamlLine> block, string key)
    {
        if (block.Count == 0)
        {
            return [];
        }

        var indent = block.Min(line => line.Indent);
        var start = block.FindIndex(line => line.Indent == indent && IsKey(line.Text, key));
        if (start < 0)
        {
            return [];
        }

        var children = new List<YamlLine>();
        for (var index = start + 1; index < block.Count && block[index].Indent > indent; index++)
        {
            children.Add(block[index]);
        }

        return children;
    }

    private static string? GetValue(List<YamlLine> block, string key)
    {
        if (block.Count == 0)
        {
            return null;
        }

        var indent = block.Min(line => line.Indent);
        var line = block.Find(candidate => candidate.Indent == indent && IsKey(candidate.Text, key));
        return line is null ? null : Unquote(AfterColon(line.Text));
    }

    private static List<string> GetItems(List<YamlLine> block)
    {
        if (block.Count == 0)
        {
            return [];
        }

        var indent = block.Min(line => line.Indent);
        return block
            .Where(line => line.Indent == indent && line.Text.StartsWith('-'))
            .Select(line => Unquote(line.Text[1..].Trim()))
            .ToList();
    }

    private static bool IsKey(string text, string key)
    {
        var keyText = text.Split(':', 2)[0].Trim();
        return text.Contains(':', StringComparison.Ordinal)
            && !text.StartsWith('-')
            && string.Equals(Unquote(keyText), key, StringComparison.Ordinal);
    }

    private static string AfterColon(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? string.Empty : text[(colon + 1)..].Trim();
    }

    private static string StripComment(string line)
    {
        var inSingle = false;
        var inDouble = false;
        for (var index = 0; index < line.Length; index++)
        {
            var current = line[index];
            if (current == '\'' && !inDouble)
            {
                inSingle = !inSingle;
            }
            else if (current == '"' && !inSingle)
            {
                inDouble = !inDouble;
            }
            else if (current == '#' && !inSingle && !inDouble && (index == 0 || char.IsWhiteSpace(line[index - 1])))
            {
                return line[..index];
            }
        }

        return line;
    }

    private static string Unquote(string value)
    {
        var trimmed = value.Trim();
        var quoted = trimmed.Length >= 2
            && ((trimmed[0] == '"' && trimmed[^1] == '"') || (trimmed[0] == '\'' && trimmed[^1] == '\''));
        return quoted ? trimmed[1..^1] : trimmed;
    }

    private static string Format(int value)
    {
        return value.ToString(CultureInfo.InvariantCulture);
    }

    private sealed record YamlLine(int Number, int Indent, string Text);

    private sealed record ComposeResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError);
}
