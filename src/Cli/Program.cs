using System.CommandLine;
using VoicePlatform.Cli;
using VoicePlatform.Cli.Configuration;
using VoicePlatform.Cli.Experiments;
using VoicePlatform.Cli.Keys;
using VoicePlatform.Cli.Models;
using VoicePlatform.Cli.Recordings;
using VoicePlatform.Cli.Routes;
using VoicePlatform.Cli.Sessions;
using VoicePlatform.Cli.Talk;
using VoicePlatform.Cli.Transcripts;
using VoicePlatform.Cli.Usage;

// vp: a thin client of the VoicePlatform REST and realtime API. Each command lives in its feature folder.
var root = new RootCommand("vp: talk to VoicePlatform models and manage sessions, transcripts, usage, routes, experiments and keys")
{
    TalkCommand.Create(),
    ModelsCommand.Create(),
    SessionsCommand.Create(),
    TranscriptCommand.Create(),
    RecordingCommand.Create(),
    UsageCommand.Create(),
    RoutesCommand.Create(),
    ExperimentsCommand.Create(),
    KeysCommand.Create(),
};
GlobalOptions.AddTo(root);
return await CommandLineEntry.RunAsync(root, args);
