using StopSync.Data.Status;
using StopSync.Jobs.Publication;

namespace StopSync.Jobs.Runs;

// Written to Redis on every change; only the runner holding the run lock owns one.
internal sealed class RunProgress(PipelineStatusStore store, PipelineStatusDocument document, TimeProvider clock)
{
    private readonly Dictionary<string, long> _startedAt = [];
    private readonly Lock _parallel = new();
    private readonly Dictionary<string, long> _lastParallelWrite = [];

    public PipelineStatusDocument Document => document;
    public IPublicationProgress Publication => new PublicationStages(this);

    // Reused and skipped phases count zero.
    public Dictionary<string, double> Durations { get; } = [];

    // For a failure cause: the running sub-stage ("load"), else the phase.
    public string CurrentStep
    {
        get
        {
            var phase = document.Phases.FirstOrDefault(p => p.Status == PhaseStatus.Running);
            var stage = phase?.Stages.LastOrDefault(s => s.Status == PhaseStatus.Running);
            return stage is not null ? stage.Id[(stage.Id.IndexOf('.', StringComparison.Ordinal) + 1)..].Replace('_', ' ')
                : phase is not null ? phase.Id.Replace('_', ' ')
                : "start";
        }
    }

    public async Task BeginAsync(double? etaSeconds)
    {
        document.LastSuccessAt = (await store.ReadRunDocumentAsync())?.LastSuccessAt;
        document.EtaSeconds = etaSeconds;
        await store.WriteRunDocumentAsync(document);
    }

    public Task StartAsync(string phase, string message)
    {
        var state = Find(phase);
        var now = clock.GetUtcNow();
        state.Status = PhaseStatus.Running;
        state.StartedAt = now;
        _startedAt[phase] = clock.GetTimestamp();
        document.Phase = phase;
        document.PhaseStartedAt = now;
        document.Message = message;
        document.Processed = null;
        document.Total = null;
        return store.WriteRunDocumentAsync(document);
    }

    public Task CompleteAsync(string phase, IReadOnlyDictionary<string, long>? counts = null, string status = PhaseStatus.Complete, string? detail = null)
    {
        var state = Find(phase);
        var seconds = _startedAt.TryGetValue(phase, out var started) ? clock.GetElapsedTime(started).TotalSeconds : 0;
        Finish(state, status, seconds, detail);
        foreach (var (key, value) in counts ?? new Dictionary<string, long>())
        {
            state.Counts[key] = value;
        }

        return store.WriteRunDocumentAsync(document);
    }

    public Task StartStageAsync(string phase, string stage, string label)
    {
        var id = $"{phase}.{stage}";
        var parent = Find(phase);
        var state = parent.Stages.SingleOrDefault(s => s.Id == id);
        if (state is null)
        {
            state = new PhaseState { Id = id, Label = label };
            parent.Stages.Add(state);
        }

        state.Status = PhaseStatus.Running;
        state.StartedAt = clock.GetUtcNow();
        _startedAt[id] = clock.GetTimestamp();
        document.Message = label;
        return store.WriteRunDocumentAsync(document);
    }

    public Task ReportStageAsync(string phase, string stage, long processed, long total)
    {
        var state = Find(phase).Stages.Single(s => s.Id == $"{phase}.{stage}");
        state.Processed = document.Processed = processed;
        state.Total = document.Total = total;
        return store.WriteRunDocumentAsync(document);
    }

    public Task CompleteStageAsync(string phase, string stage, IReadOnlyDictionary<string, long>? counts = null)
    {
        var id = $"{phase}.{stage}";
        var state = Find(phase).Stages.Single(s => s.Id == id);
        state.Status = PhaseStatus.Complete;
        document.Processed = null;
        document.Total = null;
        state.FinishedAt = clock.GetUtcNow();
        state.DurationSeconds = Math.Round(clock.GetElapsedTime(_startedAt[id]).TotalSeconds, 3);
        foreach (var (key, value) in counts ?? new Dictionary<string, long>())
        {
            state.Counts[key] = value;
        }

        return store.WriteRunDocumentAsync(document);
    }

    // Called from the parallel downloads (finished: null while the worker runs). Change and write happen under one
    // lock, at most once a second per sub-stage; the run's flow awaits the workers before it touches the document again.
    public void ReportParallelStage(string phase, string stage, string label, long processed, long? total, string? finished)
    {
        lock (_parallel)
        {
            var id = $"{phase}.{stage}";
            var parent = Find(phase);
            var state = parent.Stages.SingleOrDefault(s => s.Id == id);
            if (state is null)
            {
                state = new PhaseState { Id = id, Label = label, Status = PhaseStatus.Running, StartedAt = clock.GetUtcNow() };
                parent.Stages.Add(state);
                _startedAt[id] = clock.GetTimestamp();
            }

            state.Processed = processed;
            state.Total = total;
            if (finished is not null)
            {
                state.Status = finished;
                state.FinishedAt = clock.GetUtcNow();
                state.DurationSeconds = Math.Round(clock.GetElapsedTime(_startedAt[id]).TotalSeconds, 3);
            }

            var now = clock.GetTimestamp();
            if (finished is null && _lastParallelWrite.TryGetValue(id, out var last) && clock.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1))
            {
                return;
            }

            _lastParallelWrite[id] = now;
            store.WriteRunDocumentAsync(document).GetAwaiter().GetResult();
        }
    }

    public async Task<T> StageAsync<T>(string phase, string stage, string label, Func<T> step, Func<T, IReadOnlyDictionary<string, long>>? counts = null)
    {
        await StartStageAsync(phase, stage, label);
        var value = step();
        await CompleteStageAsync(phase, stage, counts?.Invoke(value));
        return value;
    }

    // A phase decided without running it (reused or skipped), recorded with zero duration.
    public Task OutcomeAsync(string phase, string status, string detail)
    {
        var state = Find(phase);
        state.StartedAt = clock.GetUtcNow();
        Finish(state, status, 0, detail);
        return store.WriteRunDocumentAsync(document);
    }

    public Task SucceedAsync(string message)
    {
        var now = clock.GetUtcNow();
        document.Status = PipelineStates.Idle;
        document.Phase = PipelineStates.Idle;
        document.Message = message;
        document.FinishedAt = now;
        document.LastSuccessAt = now;
        document.DatasetPublished = true;
        document.LastError = null;
        document.FailedPhase = null;
        return store.WriteRunDocumentAsync(document);
    }

    public Task HoldAsync(string reason, string message)
    {
        var database = Find(PipelinePhases.Database);
        var seconds = _startedAt.TryGetValue(database.Id, out var started) ? clock.GetElapsedTime(started).TotalSeconds : 0;
        Finish(database, PhaseStatus.Held, seconds, reason);
        foreach (var phase in document.Phases.Where(p => p.Status == PhaseStatus.Waiting))
        {
            phase.Status = PhaseStatus.Skipped;
            phase.Detail = "Not reached: the run is held";
        }

        document.Status = PipelineStates.Held;
        document.Phase = PipelineStates.Held;
        document.Message = message;
        document.FinishedAt = clock.GetUtcNow();
        document.Processed = null;
        document.Total = null;
        // Only a run compared with a live dataset can be held, and that dataset is still live.
        document.DatasetPublished = true;
        document.LastError = null;
        document.FailedPhase = null;
        return store.WriteRunDocumentAsync(document);
    }

    public Task FailAsync(string error)
    {
        var now = clock.GetUtcNow();
        var failed = document.MarkFailed(error, "Pipeline update failed; the previous dataset stays live", "Not reached: the run failed earlier", now,
            id => _startedAt.TryGetValue(id, out var started) ? clock.GetElapsedTime(started).TotalSeconds : 0);
        foreach (var phase in failed)
        {
            Durations[phase.Id] = phase.DurationSeconds ?? 0;
            document.PhaseHistory.Add(new PhaseHistoryEntry(phase.Id, phase.StartedAt ?? now, now, phase.DurationSeconds ?? 0, PhaseStatus.Failed));
        }

        return store.WriteRunDocumentAsync(document);
    }

    private void Finish(PhaseState state, string status, double seconds, string? detail)
    {
        var now = clock.GetUtcNow();
        state.Status = status;
        state.FinishedAt = now;
        state.DurationSeconds = Math.Round(seconds, 3);
        state.Detail = detail ?? state.Detail;
        Durations[state.Id] = state.DurationSeconds.Value;
        document.PhaseHistory.Add(new PhaseHistoryEntry(state.Id, state.StartedAt ?? now, now, state.DurationSeconds.Value, status));
    }

    private PhaseState Find(string phase) => document.Phases.Single(p => p.Id == phase);

    private sealed class PublicationStages(RunProgress progress) : IPublicationProgress
    {
        public async Task StageAsync(PublicationStage stage)
        {
            switch (stage)
            {
                case PublicationStage.Load:
                    await progress.StartStageAsync(PipelinePhases.Database, "load", "Loading the staged tables (binary COPY)");
                    break;
                case PublicationStage.Index:
                    await progress.CompleteStageAsync(PipelinePhases.Database, "load");
                    await progress.StartStageAsync(PipelinePhases.Database, "index", "Building keys and indexes, ANALYZE");
                    break;
                case PublicationStage.Swap:
                    await progress.CompleteStageAsync(PipelinePhases.Database, "index");
                    await progress.CompleteAsync(PipelinePhases.Database);
                    await progress.StartAsync(PipelinePhases.Publish, "Publishing the new dataset");
                    await progress.StartStageAsync(PipelinePhases.Publish, "swap", "Swapping the new tables in");
                    break;
            }
        }

        public Task RowsAsync(long loaded, long total) => progress.ReportStageAsync(PipelinePhases.Database, "load", loaded, total);
    }
}
