namespace VoicePlatform.Console.Gateway;

public enum KeyKind { Invalid, Tenant, Operator }
