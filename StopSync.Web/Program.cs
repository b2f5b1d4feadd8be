using StopSync.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddStopSyncWeb();
var app = builder.Build();
app.UseStopSyncWeb();
app.Run();
