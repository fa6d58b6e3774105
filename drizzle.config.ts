// drizzle-kit: generates SQL migrations from src/db/schema.ts into migrations/.
// Applying them is scripts/db/migrate.ts' job (drizzle's migrator), so no credentials are needed here.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
  ...(process.env.DATABASE_URL ? { dbCredentials: { url: process.env.DATABASE_URL } } : {}),
});
