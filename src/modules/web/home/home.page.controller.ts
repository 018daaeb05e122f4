import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Viewer } from '../../../common/viewer';
import { CurrentViewer } from '../viewer.decorator';
import { HomePresenter } from './home.presenter';

@ApiExcludeController()
@Controller()
export class HomePageController {
  constructor(private readonly home: HomePresenter) {}

  @Get()
  @Render('home/index')
  index(@CurrentViewer() viewer: Viewer | null) {
    return this.home.present(viewer);
  }
}
