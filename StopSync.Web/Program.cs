using StopSync.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddStopSyncWeb(builder.Configuration);
var app = builder.Build();
app.UseStopSyncWeb();
app.Run();
