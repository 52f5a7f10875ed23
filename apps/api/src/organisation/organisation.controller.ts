import { Body, Controller, Get, Param, Patch, Put, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { load as loadYaml } from 'js-yaml';
import { z } from 'zod';
import { replaceOrganisationBody as replaceBody, unitPatchBody as unitPatch } from '@app/contracts';
import { type OrganisationFile, OrganisationFileError, OrganisationFileSchema } from '@app/domain';
import { OrganisationRepository } from '@app/persistence';
import { Roles } from '../auth/decorators';
import { ApiError, ApiErrorCode } from '../common/errors';
import { parse } from '../common/zod';
import { PlanErrorFilter } from '../plans/plan-errors';

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
}

@ApiTags('organisation')
@Controller('api/organisation')
@UseFilters(PlanErrorFilter)
export class OrganisationController {
  constructor(private readonly organisation: OrganisationRepository) {}

  @Get()
  @ApiOperation({ summary: 'The organisation directory: units and unit groups' })
  async get() {
    const { file } = await this.organisation.load();
    return { units: file.units, groups: file.groups };
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Replace the whole directory from YAML/JSON text ({text}) or a JSON object; 422 with issues' })
  async replace(@Body() body: unknown) {
    const input = parse(replaceBody, body);
    let raw: unknown = input;
    if ('text' in input && typeof input.text === 'string') {
      try {
        raw = loadYaml(input.text);
      } catch (err) {
        throw new OrganisationFileError('Tệp danh mục đơn vị không đọc được', [`(file): ${err instanceof Error ? err.message : String(err)}`]);
      }
    }
    const parsed = OrganisationFileSchema.safeParse(raw);
    if (!parsed.success) throw new OrganisationFileError('Tệp danh mục đơn vị không hợp lệ', issuesOf(parsed.error));
    await this.organisation.replace(parsed.data);
    return { units: parsed.data.units, groups: parsed.data.groups };
  }

  @Patch('units/:code')
  @Roles('admin')
  @ApiOperation({ summary: 'Change one unit (names, aliases, head, emails, supervisor ...); the directory must stay valid' })
  async patchUnit(@Param('code') code: string, @Body() body: unknown) {
    const parsed0 = parse(unitPatch, body);
    // Only the fields the request names: the schema's defaults (no parent, no emails…) must not overwrite the rest.
    const named = new Set(Object.keys(body as object));
    const patch = Object.fromEntries(Object.entries(parsed0).filter(([k]) => named.has(k)));
    const { file } = await this.organisation.load();
    const current = file.units.find((u) => u.code === code);
    if (!current) throw new ApiError(ApiErrorCode.NOT_FOUND, `Không có đơn vị ${code}`);
    const next = { ...current, ...patch };
    // Checked as a whole file so a parent or supervisor code must still exist.
    const candidate: OrganisationFile = { ...file, units: file.units.map((u) => (u.code === code ? next : u)) };
    const parsed = OrganisationFileSchema.safeParse(candidate);
    if (!parsed.success) throw new OrganisationFileError('Đơn vị sau khi sửa không hợp lệ', issuesOf(parsed.error));
    const unit = parsed.data.units.find((u) => u.code === code);
    if (!unit) throw new ApiError(ApiErrorCode.NOT_FOUND);
    await this.organisation.upsertUnit(unit);
    return unit;
  }
}
