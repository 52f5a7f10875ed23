import { Controller, Get, HttpCode, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { type AuthUser } from '../auth/auth.types';
import { CurrentUser, Roles } from '../auth/decorators';
import { type AttachmentRef, AttachmentsService, type UploadedFile as Upload } from './attachments.service';
import { contentDisposition } from './file-types';

@ApiTags('attachments')
@Controller('api')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post('assignments/:workflowId/attachments')
  @HttpCode(201)
  // Files exist only to be cited in a submission, and only the unit submits.
  @Roles('unit_head', 'unit_officer')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Upload a file for a submission (pdf, docx, xlsx, doc, xls, jpg, png, zip)' })
  upload(@Param('workflowId') workflowId: string, @UploadedFile() file: Upload | undefined, @CurrentUser() user: AuthUser): Promise<AttachmentRef> {
    return this.attachments.upload(workflowId, user, file);
  }

  @Get('attachments/:id')
  @ApiOperation({ summary: "Download an attachment (only for users who may see its assignment)" })
  async download(@Param('id') id: string, @CurrentUser() user: AuthUser, @Res() res: Response): Promise<void> {
    const { meta, stream } = await this.attachments.open(id, user);
    res.setHeader('content-type', meta.contentType);
    res.setHeader('content-length', String(meta.size));
    res.setHeader('content-disposition', contentDisposition(meta.name));
    res.setHeader('x-content-type-options', 'nosniff');
    stream.pipe(res);
  }
}
