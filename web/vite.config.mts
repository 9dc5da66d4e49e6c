import react from '@vitejs/plugin-react-swc';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web app: root web/, output web/dist/ (served by the API server at `/`).
 * plugin-react-swc rather than plugin-react: the latter's optional peer chain
 * (@rolldown/plugin-babel -> Babel 8) does not resolve beside jest's Babel 7 with npm 11.
 */
export default defineConfig(({ command }) => ({
  root,
  base: '/',
  plugins: [react()],
  // A build is always the production one, whatever NODE_ENV the caller has (jest sets `test`,
  // which would ship React's development build: 3 times the size).
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No sourcemaps in the served bundle: the size budget is the JS a browser downloads.
    sourcemap: false,
    reportCompressedSize: false,
  },
  // `npx vite web` proxies the API to a running `npm start` (HTTP on 8081).
  server: { proxy: { '/graphql': 'http://127.0.0.1:8081', '/app-config.json': 'http://127.0.0.1:8081' } },
}));
