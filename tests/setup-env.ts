// Tests are quiet unless asked otherwise, and never read a developer's .env.
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
