using Hangfire.Storage.Monitoring;
using StopSync.Jobs.Runs;

namespace StopSync.Tests.Jobs.Runs;

public sealed class PipelineTriggerTests
{
    [Theory]
    [InlineData(PipelineTrigger.SchedulerReason, "scheduled")]
    [InlineData("Triggered using recurring job manager", "manual")]
    [InlineData("Triggered via Dashboard UI", "manual")]
    public void Resolve_TellsTheCronScheduleFromATriggerNow_ByTheFirstEnqueuedReason(string reason, string expected)
    {
        // Newest first, as Hangfire's monitoring API lists a job's states.
        StateHistoryDto[] history =
        [
            new() { StateName = "Processing", Reason = null },
            new() { StateName = "Enqueued", Reason = reason },
        ];

        Assert.Equal(expected, PipelineTrigger.Resolve(PipelineTrigger.Scheduled, history));
    }

    [Fact]
    public void Resolve_KeepsAnExplicitTrigger_AndTheStoredOneWithoutHistory()
    {
        StateHistoryDto[] history = [new() { StateName = "Enqueued", Reason = "Triggered using recurring job manager" }];

        Assert.Equal("startup", PipelineTrigger.Resolve(PipelineTrigger.Startup, history));
        Assert.Equal("scheduled", PipelineTrigger.Resolve(PipelineTrigger.Scheduled, null));
    }
}
