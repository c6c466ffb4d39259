import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiError } from '#platform';
import { Public } from '../../access/access.decorators.js';
import { ApiErrors } from '../../platform/errors/api-errors.decorator.js';
import { loadDashboardFiles, type DashboardFile } from './dashboard-files.js';

/**
 * Scripts and styles from this origin only, none inline (no 'unsafe-inline'); the page talks
 * only to its own origin; no framing, no <base>, forms post only here.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const text = (types: string[]) => ({ content: Object.fromEntries(types.map((type) => [type, { schema: { type: 'string' } }])) });

/** The analysts' dashboard page and its static files (issue 15); the data comes from the report endpoints. */
@ApiTags('dashboard')
@Public()
@Controller('dashboard')
export class DashboardPageController {
  private readonly files = loadDashboardFiles();

  @Get()
  @ApiOperation({ summary: 'The analysts’ dashboard (sign in with an analyst key; see README "Dashboard")' })
  @ApiOkResponse({ description: 'The page', ...text(['text/html']) })
  @ApiErrors({ 404: ['ASSET_NOT_FOUND'] }, { public: true })
  page(@Res() res: Response): void {
    this.send(res, 'index.html');
  }

  @Get('assets/:file')
  @ApiOperation({ summary: 'A static file of the dashboard (its scripts, styles and Chart.js)' })
  @ApiParam({ name: 'file', example: 'main.js' })
  @ApiOkResponse({ description: 'The file', ...text(['text/javascript', 'text/css']) })
  @ApiErrors({ 404: ['ASSET_NOT_FOUND'] }, { public: true })
  asset(@Param('file') file: string, @Res() res: Response): void {
    this.send(res, `assets/${file}`);
  }

  @Get('assets/views/:file')
  @ApiOperation({ summary: 'A view module of the dashboard' })
  @ApiParam({ name: 'file', example: 'units.js' })
  @ApiOkResponse({ description: 'The file', ...text(['text/javascript']) })
  @ApiErrors({ 404: ['ASSET_NOT_FOUND'] }, { public: true })
  view(@Param('file') file: string, @Res() res: Response): void {
    this.send(res, `assets/views/${file}`);
  }

  private send(res: Response, name: string): void {
    const file: DashboardFile | undefined = this.files.get(name);
    if (file === undefined) {
      const hint = this.files.size === 0 ? ' The dashboard is not built: run npm run build.' : '';
      throw new ApiError('ASSET_NOT_FOUND', `The dashboard has no file ${name}.${hint}`, 'not_found');
    }
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-cache');
    res.send(file.body);
  }
}
